/* A void * variable may point to anything: only the constant NULL passes as SQL NULL. */
#include "db/sql.h"

void sql_case(struct dm_sql *q);

void
sql_case(struct dm_sql *q)
{
	void *p = q;

	dm_sql_start(q, "SELECT ?", p);
}
