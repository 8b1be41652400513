/* A pointer to the number, not the number. */
#include "db/sql.h"

void sql_case(struct dm_sql *q);

void
sql_case(struct dm_sql *q)
{
	int id = 1, *p = &id;

	dm_sql_start(q, "SELECT #", p);
}
