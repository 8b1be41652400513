/* A struct for '#': its id member was meant. */
#include "db/sql.h"

void sql_case(struct dm_sql *q);

void
sql_case(struct dm_sql *q)
{
	struct row {
		unsigned long long id;
	} r = {1};

	dm_sql_start(q, "SELECT #", r);
}
