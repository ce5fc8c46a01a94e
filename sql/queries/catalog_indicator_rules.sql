-- Each indicator's rules for its computed values: how it aggregates across units (and by which
-- weight) and across periods. `catalog sync` reads them before and after (src/catalog/rules-change.ts).
SELECT code, aggregation, weight_indicator, period_aggregation
FROM core.indicator
ORDER BY code;
