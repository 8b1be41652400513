
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
DROP TABLE IF EXISTS `host`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `host` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `os_id` smallint(5) unsigned NOT NULL,
  `kernel_id` int(10) unsigned NOT NULL,
  `created` datetime NOT NULL DEFAULT current_timestamp(),
  `modified` datetime NOT NULL DEFAULT current_timestamp(),
  `packages` int(10) unsigned NOT NULL DEFAULT 0,
  `upgrades` int(10) unsigned NOT NULL DEFAULT 0,
  `security_upgrades` int(10) unsigned NOT NULL DEFAULT 0,
  `full_digest` char(32) CHARACTER SET ascii COLLATE ascii_general_ci DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`),
  KEY `os` (`os_id`),
  KEY `kernel` (`kernel_id`),
  KEY `modified` (`modified`),
  CONSTRAINT `host_kernel` FOREIGN KEY (`kernel_id`) REFERENCES `kernel_version` (`id`),
  CONSTRAINT `host_os` FOREIGN KEY (`os_id`) REFERENCES `os` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `host` WRITE;
/*!40000 ALTER TABLE `host` DISABLE KEYS */;
INSERT INTO `host` VALUES (1,'web1.example.org',1,1,'2026-01-02 03:04:05','2026-01-03 04:05:06',5,2,2,NULL);
INSERT INTO `host` VALUES (2,'web2.example.org',1,1,'2026-01-02 03:04:05','2026-01-03 04:05:06',4,1,0,NULL);
INSERT INTO `host` VALUES (3,'db1.example.org',2,2,'2026-01-02 03:04:05','2026-01-03 04:05:06',3,0,0,NULL);
/*!40000 ALTER TABLE `host` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `host_package`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `host_package` (
  `host_id` int(10) unsigned NOT NULL,
  `package_id` int(10) unsigned NOT NULL,
  `package_version_id` int(10) unsigned NOT NULL,
  `upgradable_version_id` int(10) unsigned DEFAULT NULL,
  `upgrade_type` tinyint(3) unsigned NOT NULL DEFAULT 0,
  `created` datetime NOT NULL DEFAULT current_timestamp(),
  `modified` datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (`host_id`,`package_id`),
  KEY `version_install` (`package_version_id`,`upgradable_version_id`,`upgrade_type`),
  KEY `upgradable_version` (`upgradable_version_id`,`upgrade_type`),
  CONSTRAINT `hp_host` FOREIGN KEY (`host_id`) REFERENCES `host` (`id`) ON DELETE CASCADE,
  CONSTRAINT `hp_upgradable` FOREIGN KEY (`upgradable_version_id`) REFERENCES `package_version` (`id`),
  CONSTRAINT `hp_version` FOREIGN KEY (`package_version_id`) REFERENCES `package_version` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `host_package` WRITE;
/*!40000 ALTER TABLE `host_package` DISABLE KEYS */;
INSERT INTO `host_package` VALUES (1,1,1,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (1,2,2,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (1,3,3,4,1,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (1,4,5,6,1,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (1,7,12,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (2,1,1,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (2,3,4,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (2,4,6,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (2,5,7,8,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (3,1,9,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (3,4,11,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `host_package` VALUES (3,6,10,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
/*!40000 ALTER TABLE `host_package` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `image`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `image` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `os_id` smallint(5) unsigned NOT NULL,
  `created` datetime NOT NULL DEFAULT current_timestamp(),
  `modified` datetime NOT NULL DEFAULT current_timestamp(),
  `packages` int(10) unsigned NOT NULL DEFAULT 0,
  `upgrades` int(10) unsigned NOT NULL DEFAULT 0,
  `security_upgrades` int(10) unsigned NOT NULL DEFAULT 0,
  `full_digest` char(32) CHARACTER SET ascii COLLATE ascii_general_ci DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`),
  KEY `os` (`os_id`),
  KEY `modified` (`modified`),
  CONSTRAINT `image_os` FOREIGN KEY (`os_id`) REFERENCES `os` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `image` WRITE;
/*!40000 ALTER TABLE `image` DISABLE KEYS */;
INSERT INTO `image` VALUES (1,'registry.example.org/team/app:1.2-3',1,'2026-01-02 03:04:05','2026-01-03 04:05:06',3,1,1,'0cdeed7caa4d48c5d96e1e0a489213aa');
INSERT INTO `image` VALUES (2,'registry.example.org/base:12',1,'2026-01-02 03:04:05','2026-01-03 04:05:06',1,0,0,'2bf232b33737610bd76a3862b5a24646');
/*!40000 ALTER TABLE `image` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `image_package`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `image_package` (
  `image_id` int(10) unsigned NOT NULL,
  `package_id` int(10) unsigned NOT NULL,
  `package_version_id` int(10) unsigned NOT NULL,
  `upgradable_version_id` int(10) unsigned DEFAULT NULL,
  `upgrade_type` tinyint(3) unsigned NOT NULL DEFAULT 0,
  `created` datetime NOT NULL DEFAULT current_timestamp(),
  `modified` datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (`image_id`,`package_id`),
  KEY `version_install` (`package_version_id`,`upgradable_version_id`,`upgrade_type`),
  KEY `upgradable_version` (`upgradable_version_id`,`upgrade_type`),
  CONSTRAINT `ip_image` FOREIGN KEY (`image_id`) REFERENCES `image` (`id`) ON DELETE CASCADE,
  CONSTRAINT `ip_upgradable` FOREIGN KEY (`upgradable_version_id`) REFERENCES `package_version` (`id`),
  CONSTRAINT `ip_version` FOREIGN KEY (`package_version_id`) REFERENCES `package_version` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `image_package` WRITE;
/*!40000 ALTER TABLE `image_package` DISABLE KEYS */;
INSERT INTO `image_package` VALUES (1,3,3,4,1,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `image_package` VALUES (1,4,5,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `image_package` VALUES (1,8,13,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `image_package` VALUES (2,1,1,NULL,0,'2026-01-02 03:04:05','2026-01-03 04:05:06');
/*!40000 ALTER TABLE `image_package` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `kernel_version`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `kernel_version` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `os_id` smallint(5) unsigned NOT NULL,
  `name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `os_name` (`os_id`,`name`),
  CONSTRAINT `kv_os` FOREIGN KEY (`os_id`) REFERENCES `os` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `kernel_version` WRITE;
/*!40000 ALTER TABLE `kernel_version` DISABLE KEYS */;
INSERT INTO `kernel_version` VALUES (1,1,'#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)');
INSERT INTO `kernel_version` VALUES (2,2,'#1 SMP Debian 5.10.209-2 (2024-01-31)');
/*!40000 ALTER TABLE `kernel_version` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `kubernetes_image`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `kubernetes_image` (
  `cluster` varchar(255) NOT NULL,
  `namespace` varchar(255) NOT NULL,
  `image_id` int(10) unsigned NOT NULL,
  `containers` int(10) unsigned NOT NULL,
  `created` datetime NOT NULL DEFAULT current_timestamp(),
  `modified` datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (`cluster`,`namespace`,`image_id`),
  KEY `image` (`image_id`),
  CONSTRAINT `ki_image` FOREIGN KEY (`image_id`) REFERENCES `image` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `kubernetes_image` WRITE;
/*!40000 ALTER TABLE `kubernetes_image` DISABLE KEYS */;
INSERT INTO `kubernetes_image` VALUES ('prod-1','default',1,3,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `kubernetes_image` VALUES ('prod-1','jobs',2,1,'2026-01-02 03:04:05','2026-01-03 04:05:06');
INSERT INTO `kubernetes_image` VALUES ('prod-1','web',1,2,'2026-01-02 03:04:05','2026-01-03 04:05:06');
/*!40000 ALTER TABLE `kubernetes_image` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `os`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `os` (
  `id` smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `os` WRITE;
/*!40000 ALTER TABLE `os` DISABLE KEYS */;
INSERT INTO `os` VALUES (1,'Debian 12');
INSERT INTO `os` VALUES (2,'Debian 11');
/*!40000 ALTER TABLE `os` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `package`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `package` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB AUTO_INCREMENT=9 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `package` WRITE;
/*!40000 ALTER TABLE `package` DISABLE KEYS */;
INSERT INTO `package` VALUES (1,'bash');
INSERT INTO `package` VALUES (2,'libldb2');
INSERT INTO `package` VALUES (3,'libssl3');
INSERT INTO `package` VALUES (4,'openssl');
INSERT INTO `package` VALUES (5,'curl');
INSERT INTO `package` VALUES (6,'mariadb-server-10.5');
INSERT INTO `package` VALUES (7,'vim');
INSERT INTO `package` VALUES (8,'tzdata');
/*!40000 ALTER TABLE `package` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `package_stats`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `package_stats` (
  `package_id` int(10) unsigned NOT NULL,
  `slot` tinyint(3) unsigned NOT NULL,
  `hosts` int(11) NOT NULL DEFAULT 0,
  `host_upgrades` int(11) NOT NULL DEFAULT 0,
  `host_security` int(11) NOT NULL DEFAULT 0,
  `images` int(11) NOT NULL DEFAULT 0,
  `image_upgrades` int(11) NOT NULL DEFAULT 0,
  `image_security` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`package_id`,`slot`),
  CONSTRAINT `ps_package` FOREIGN KEY (`package_id`) REFERENCES `package` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `package_stats` WRITE;
/*!40000 ALTER TABLE `package_stats` DISABLE KEYS */;
INSERT INTO `package_stats` VALUES (1,3,1,0,0,0,0,0);
INSERT INTO `package_stats` VALUES (1,4,2,0,0,0,0,0);
INSERT INTO `package_stats` VALUES (1,5,0,0,0,1,0,0);
INSERT INTO `package_stats` VALUES (2,3,1,0,0,0,0,0);
INSERT INTO `package_stats` VALUES (3,3,1,1,1,0,0,0);
INSERT INTO `package_stats` VALUES (3,4,1,0,0,1,1,1);
INSERT INTO `package_stats` VALUES (4,3,1,1,1,0,0,0);
INSERT INTO `package_stats` VALUES (4,4,2,0,0,1,0,0);
INSERT INTO `package_stats` VALUES (5,4,1,1,0,0,0,0);
INSERT INTO `package_stats` VALUES (6,4,1,0,0,0,0,0);
INSERT INTO `package_stats` VALUES (7,4,1,0,0,0,0,0);
INSERT INTO `package_stats` VALUES (8,4,0,0,0,1,0,0);
/*!40000 ALTER TABLE `package_stats` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `package_version`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `package_version` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `package_id` int(10) unsigned NOT NULL,
  `os_id` smallint(5) unsigned NOT NULL,
  `version` varchar(255) NOT NULL,
  `source_package_version_id` int(10) unsigned NOT NULL,
  `created` datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (`id`),
  UNIQUE KEY `package_os_version` (`package_id`,`os_id`,`version`),
  KEY `os` (`os_id`),
  KEY `source_package_version` (`source_package_version_id`),
  CONSTRAINT `pv_os` FOREIGN KEY (`os_id`) REFERENCES `os` (`id`),
  CONSTRAINT `pv_package` FOREIGN KEY (`package_id`) REFERENCES `package` (`id`),
  CONSTRAINT `pv_source_version` FOREIGN KEY (`source_package_version_id`) REFERENCES `source_package_version` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=14 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `package_version` WRITE;
/*!40000 ALTER TABLE `package_version` DISABLE KEYS */;
INSERT INTO `package_version` VALUES (1,1,1,'5.2.15-2+b2',1,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (2,2,1,'2:2.6.2+samba4.17.12+dfsg-0+deb12u1',4,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (3,3,1,'3.0.11-1~deb12u2',2,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (4,3,1,'3.0.13-1~deb12u1',3,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (5,4,1,'3.0.11-1~deb12u2',2,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (6,4,1,'3.0.13-1~deb12u1',3,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (7,5,1,'7.88.1-10+deb12u5',5,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (8,5,1,'7.88.1-10+deb12u8',6,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (9,1,2,'5.1-2+deb11u1',7,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (10,6,2,'1:10.5.23-0+deb11u1',8,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (11,4,2,'1.1.1w-0+deb11u1',9,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (12,7,1,'2:9.0.1378-2',10,'2026-01-02 03:04:05');
INSERT INTO `package_version` VALUES (13,8,1,'2024a-0+deb12u1',11,'2026-01-02 03:04:05');
/*!40000 ALTER TABLE `package_version` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `schema_version`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `schema_version` (
  `version` int(10) unsigned NOT NULL,
  PRIMARY KEY (`version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `schema_version` WRITE;
/*!40000 ALTER TABLE `schema_version` DISABLE KEYS */;
INSERT INTO `schema_version` VALUES (1);
/*!40000 ALTER TABLE `schema_version` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `source_package`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `source_package` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB AUTO_INCREMENT=8 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `source_package` WRITE;
/*!40000 ALTER TABLE `source_package` DISABLE KEYS */;
INSERT INTO `source_package` VALUES (1,'bash');
INSERT INTO `source_package` VALUES (2,'openssl');
INSERT INTO `source_package` VALUES (3,'samba');
INSERT INTO `source_package` VALUES (4,'curl');
INSERT INTO `source_package` VALUES (5,'mariadb-10.5');
INSERT INTO `source_package` VALUES (6,'vim');
INSERT INTO `source_package` VALUES (7,'tzdata');
/*!40000 ALTER TABLE `source_package` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `source_package_version`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `source_package_version` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `source_package_id` int(10) unsigned NOT NULL,
  `os_id` smallint(5) unsigned NOT NULL,
  `version` varchar(255) NOT NULL,
  `created` datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (`id`),
  UNIQUE KEY `source_os_version` (`source_package_id`,`os_id`,`version`),
  KEY `os` (`os_id`),
  CONSTRAINT `spv_os` FOREIGN KEY (`os_id`) REFERENCES `os` (`id`),
  CONSTRAINT `spv_source` FOREIGN KEY (`source_package_id`) REFERENCES `source_package` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=12 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `source_package_version` WRITE;
/*!40000 ALTER TABLE `source_package_version` DISABLE KEYS */;
INSERT INTO `source_package_version` VALUES (1,1,1,'5.2.15-2+b2','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (2,2,1,'3.0.11-1~deb12u2','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (3,2,1,'3.0.13-1~deb12u1','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (4,3,1,'2:2.6.2+samba4.17.12+dfsg-0+deb12u1','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (5,4,1,'7.88.1-10+deb12u5','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (6,4,1,'7.88.1-10+deb12u8','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (7,1,2,'5.1-2+deb11u1','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (8,5,2,'1:10.5.23-0+deb11u1','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (9,2,2,'1.1.1w-0+deb11u1','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (10,6,1,'2:9.0.1378-2','2026-01-02 03:04:05');
INSERT INTO `source_package_version` VALUES (11,7,1,'2024a-0+deb12u1','2026-01-02 03:04:05');
/*!40000 ALTER TABLE `source_package_version` ENABLE KEYS */;
UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

