/* Every kind of argument the builder accepts, up to DM_SQL_ARGS_MAX in one call. */
#include "db/sql.h"

enum kind { KIND_A, KIND_B };

void sql_case(struct dm_sql *q, const char *const *names, size_t n);

void
sql_case(struct dm_sql *q, const char *const *names, size_t n)
{
	char now[24] = "2026-01-01 00:00:00";
	enum kind k = KIND_B;
	short s = 1;

	dm_sql_start(q, "? ? ? ? #", names[0], now, "literal", NULL, n);
	dm_sql_add(q, "# # # # # # # #", 1, 2u, 3L, 4UL, 5LL, 6ULL, k, s);
	dm_sql_add(q, " LIMIT 1");
}
