/* Bytes are not a string: '?' takes char * or const char *. */
#include "db/sql.h"

void sql_case(struct dm_sql *q);

void
sql_case(struct dm_sql *q)
{
	unsigned char bytes[] = "abc";

	dm_sql_start(q, "SELECT ?", bytes);
}
