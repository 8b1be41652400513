/* A floating-point number is no id: '#' takes integers only. */
#include "db/sql.h"

void sql_case(struct dm_sql *q);

void
sql_case(struct dm_sql *q)
{
	dm_sql_start(q, "SELECT #", 1.5);
}
