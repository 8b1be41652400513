/* More arguments than DM_SQL_ARGS_MAX (8) in one call: split the template with dm_sql_add. */
#include "db/sql.h"

void sql_case(struct dm_sql *q);

void
sql_case(struct dm_sql *q)
{
	dm_sql_start(q, "SELECT #, #, #, #, #, #, #, #, #", 1, 2, 3, 4, 5, 6, 7, 8, 9);
}
