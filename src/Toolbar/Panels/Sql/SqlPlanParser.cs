using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;

namespace Toolbar.Panels.Sql;

/// <summary>Turns each database's own plan output into <see cref="SqlPlanNode"/> trees.</summary>
internal static class SqlPlanParser
{
    /// <summary>PostgreSQL <c>EXPLAIN (FORMAT JSON)</c>: <c>[{"Plan": {"Node Type", "Relation Name", "Plan Rows", "Total Cost", "Plans": [...]}}]</c>.</summary>
    public static List<SqlPlanNode> PostgreSql(string json, out double? executionTimeMs)
    {
        executionTimeMs = null;
        using var document = JsonDocument.Parse(json);
        var roots = new List<SqlPlanNode>();
        foreach (var entry in document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray() : Enumerable.Repeat(document.RootElement, 1))
        {
            if (entry.TryGetProperty("Plan", out var plan))
            {
                roots.Add(PostgresNode(plan));
            }

            if (entry.TryGetProperty("Execution Time", out var time) && time.ValueKind == JsonValueKind.Number)
            {
                executionTimeMs = time.GetDouble();
            }
        }

        return roots;
    }

    private static SqlPlanNode PostgresNode(JsonElement plan)
    {
        var node = new SqlPlanNode
        {
            NodeType = String(plan, "Node Type") ?? "?",
            Relation = String(plan, "Relation Name") ?? String(plan, "CTE Name") ?? String(plan, "Function Name"),
            Alias = String(plan, "Alias"),
            Index = String(plan, "Index Name"),
            EstimatedRows = Number(plan, "Plan Rows"),
            EstimatedCost = Number(plan, "Total Cost"),
            ActualRows = Number(plan, "Actual Rows"),
            ActualTimeMs = Number(plan, "Actual Total Time"),
            Loops = Number(plan, "Actual Loops"),
        };
        if (String(plan, "Join Type") is { } join && (node.NodeType.Contains("Join", StringComparison.Ordinal) || node.NodeType == "Nested Loop"))
        {
            node.NodeType = $"{node.NodeType} ({join})";
        }

        node.Detail = string.Join("; ", new[] { "Index Cond", "Filter", "Hash Cond", "Merge Cond", "Join Filter", "Sort Key" }
            .Select(key => plan.TryGetProperty(key, out var value) ? $"{key}: {(value.ValueKind == JsonValueKind.Array ? string.Join(", ", value.EnumerateArray().Select(v => v.ToString())) : value.ToString())}" : null)
            .Where(text => text is not null));
        if (node.Detail.Length == 0)
        {
            node.Detail = null;
        }

        if (plan.TryGetProperty("Plans", out var children) && children.ValueKind == JsonValueKind.Array)
        {
            node.Children.AddRange(children.EnumerateArray().Select(PostgresNode));
        }

        return node;
    }

    /// <summary>
    /// MariaDB/MySQL <c>EXPLAIN FORMAT=JSON</c> (and MariaDB's <c>ANALYZE FORMAT=JSON</c>): a <c>query_block</c>
    /// holding tables, nested loops, sorts and temporary tables, walked into one tree per query block.
    /// </summary>
    public static List<SqlPlanNode> MySql(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return root.TryGetProperty("query_block", out var block) ? [MySqlBlock(block)] : [];
    }

    private static SqlPlanNode MySqlBlock(JsonElement block)
    {
        var node = new SqlPlanNode
        {
            NodeType = "Query block" + (block.TryGetProperty("select_id", out var id) ? $" #{id}" : ""),
            EstimatedCost = Number(block, "cost") ?? (block.TryGetProperty("cost_info", out var cost) ? Number(cost, "query_cost") : null),
            ActualTimeMs = Number(block, "r_total_time_ms"),
            Loops = Number(block, "r_loops"),
        };
        MySqlChildren(block, node.Children);
        return node;
    }

    // Everything under a block or an operation that is itself an operation becomes a child, in document order.
    private static void MySqlChildren(JsonElement element, List<SqlPlanNode> into)
    {
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "table" when value.ValueKind == JsonValueKind.Object:
                    into.Add(MySqlTable(value));
                    break;
                case "nested_loop" when value.ValueKind == JsonValueKind.Array:
                    var loop = new SqlPlanNode { NodeType = "Nested loop" };
                    foreach (var item in value.EnumerateArray())
                    {
                        MySqlChildren(item, loop.Children);
                    }

                    into.Add(loop);
                    break;
                case "query_block" when value.ValueKind == JsonValueKind.Object:
                    into.Add(MySqlBlock(value));
                    break;
                case "filesort" or "temporary_table" or "read_sorted_file" or "ordering_operation" or "grouping_operation" or "duplicates_removal" or "materialized" or "block-nl-join" or "hash_join" or "union_result" or "subqueries" or "derived" or "having"
                    when value.ValueKind is JsonValueKind.Object or JsonValueKind.Array:
                    var operation = new SqlPlanNode
                    {
                        NodeType = property.Name.Replace('_', ' '),
                        Detail = value.ValueKind == JsonValueKind.Object ? (String(value, "sort_key") ?? String(value, "join_type") ?? String(value, "attached_condition")) : null,
                        ActualTimeMs = value.ValueKind == JsonValueKind.Object ? Number(value, "r_total_time_ms") : null,
                        Loops = value.ValueKind == JsonValueKind.Object ? Number(value, "r_loops") : null,
                    };
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in value.EnumerateArray())
                        {
                            MySqlChildren(item, operation.Children);
                        }
                    }
                    else
                    {
                        MySqlChildren(value, operation.Children);
                    }

                    into.Add(operation);
                    break;
            }
        }
    }

    private static SqlPlanNode MySqlTable(JsonElement table)
    {
        var node = new SqlPlanNode
        {
            NodeType = String(table, "access_type") ?? "table",
            Relation = String(table, "table_name"),
            Index = String(table, "key"),
            EstimatedRows = Number(table, "rows") ?? Number(table, "rows_examined_per_scan"),
            EstimatedCost = Number(table, "cost") ?? (table.TryGetProperty("cost_info", out var cost) ? Number(cost, "prefix_cost") ?? Number(cost, "read_cost") : null),
            ActualRows = Number(table, "r_rows"),
            ActualTimeMs = Number(table, "r_table_time_ms") ?? Number(table, "r_total_time_ms"),
            Loops = Number(table, "r_loops"),
            Detail = String(table, "attached_condition") ?? String(table, "message"),
        };
        MySqlChildren(table, node.Children);
        return node;
    }

    /// <summary>SQLite <c>EXPLAIN QUERY PLAN</c> rows <c>(id, parent, notused, detail)</c>: the tree is given by <c>parent</c>.</summary>
    public static List<SqlPlanNode> Sqlite(List<Dictionary<string, string?>> rows)
    {
        var byId = new Dictionary<string, SqlPlanNode>(StringComparer.Ordinal);
        var roots = new List<SqlPlanNode>();
        foreach (var row in rows)
        {
            var detail = row.GetValueOrDefault("detail") ?? "";
            // "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)", "SCAN p", "USE TEMP B-TREE FOR ORDER BY".
            var words = detail.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var node = new SqlPlanNode { NodeType = detail, Detail = detail };
            if (words.Length >= 2 && words[0] is "SCAN" or "SEARCH")
            {
                node.NodeType = words[0];
                node.Relation = words[1] == "TABLE" && words.Length >= 3 ? words[2] : words[1];
                var usingIndex = Array.IndexOf(words, "INDEX");
                if (usingIndex > 0 && usingIndex + 1 < words.Length)
                {
                    node.Index = words[usingIndex + 1];
                }
            }

            var id = row.GetValueOrDefault("id") ?? "";
            byId[id] = node;
            if (row.GetValueOrDefault("parent") is { } parent && byId.TryGetValue(parent, out var parentNode))
            {
                parentNode.Children.Add(node);
            }
            else
            {
                roots.Add(node);
            }
        }

        return roots;
    }

    /// <summary>SQL Server showplan XML: each <c>RelOp</c> (PhysicalOp, EstimateRows, EstimatedTotalSubtreeCost, its Object) becomes a node.</summary>
    public static List<SqlPlanNode> Showplan(string xml)
    {
        var document = XDocument.Parse(xml);
        XNamespace ns = "http://schemas.microsoft.com/sqlserver/2004/07/showplan";
        var roots = new List<SqlPlanNode>();
        foreach (var plan in document.Descendants(ns + "QueryPlan"))
        {
            foreach (var relOp in plan.Elements(ns + "RelOp"))
            {
                roots.Add(ShowplanNode(relOp, ns));
            }
        }

        return roots;
    }

    private static SqlPlanNode ShowplanNode(XElement relOp, XNamespace ns)
    {
        // The operator's own element (IndexScan, NestedLoops...) is the RelOp's child that is not a list of columns.
        var own = relOp.Elements().FirstOrDefault(e => e.Name != ns + "OutputList" && e.Name != ns + "Warnings" && e.Name != ns + "MemoryFractions" && e.Name != ns + "RunTimeInformation");
        var obj = own?.Elements(ns + "Object").FirstOrDefault();
        var node = new SqlPlanNode
        {
            NodeType = (string?)relOp.Attribute("PhysicalOp") ?? "?",
            Relation = Unbracket((string?)obj?.Attribute("Table")),
            Alias = Unbracket((string?)obj?.Attribute("Alias")),
            Index = Unbracket((string?)obj?.Attribute("Index")),
            EstimatedRows = ParseDouble((string?)relOp.Attribute("EstimateRows")),
            EstimatedCost = ParseDouble((string?)relOp.Attribute("EstimatedTotalSubtreeCost")),
            Detail = (string?)relOp.Attribute("LogicalOp"),
        };
        // An actual plan (SET STATISTICS XML ON) carries counters per thread.
        var counters = relOp.Elements(ns + "RunTimeInformation").Elements(ns + "RunTimeCountersPerThread").ToList();
        if (counters.Count > 0)
        {
            node.ActualRows = counters.Sum(c => ParseDouble((string?)c.Attribute("ActualRows")) ?? 0);
            node.Loops = counters.Sum(c => ParseDouble((string?)c.Attribute("ActualExecutions")) ?? 0);
        }
        if (own is not null)
        {
            foreach (var child in own.Descendants(ns + "RelOp").Where(r => r.Ancestors(ns + "RelOp").First() == relOp))
            {
                node.Children.Add(ShowplanNode(child, ns));
            }
        }

        return node;
    }

    private static string? Unbracket(string? name) => name is { Length: > 1 } && name[0] == '[' && name[^1] == ']' ? name[1..^1] : name;

    private static double? ParseDouble(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.ToString(),
        } : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String => ParseDouble(value.GetString()),
            _ => null,
        } : null;
}
