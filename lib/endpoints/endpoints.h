/* endpoints.h: the endpoint declarations, one per CGI executable in cgi-bin/. */
#ifndef DM_ENDPOINTS_H
#define DM_ENDPOINTS_H

#include "cgi/entry.h"

extern const struct dm_endpoint dm_ep_auth_check;
extern const struct dm_endpoint dm_ep_error;
extern const struct dm_endpoint dm_ep_host_update;
extern const struct dm_endpoint dm_ep_host;
extern const struct dm_endpoint dm_ep_hosts;
extern const struct dm_endpoint dm_ep_image_update;
extern const struct dm_endpoint dm_ep_image;
extern const struct dm_endpoint dm_ep_images;
extern const struct dm_endpoint dm_ep_kubernetes;
extern const struct dm_endpoint dm_ep_kubernetes_update;
extern const struct dm_endpoint dm_ep_dashboard;
extern const struct dm_endpoint dm_ep_packages;
extern const struct dm_endpoint dm_ep_package;
extern const struct dm_endpoint dm_ep_source_packages;
extern const struct dm_endpoint dm_ep_source_package;
extern const struct dm_endpoint dm_ep_kernels;
extern const struct dm_endpoint dm_ep_kernel;
extern const struct dm_endpoint dm_ep_search;
extern const struct dm_endpoint dm_ep_cves;
extern const struct dm_endpoint dm_ep_cve;
extern const struct dm_endpoint dm_ep_metrics;

#endif
