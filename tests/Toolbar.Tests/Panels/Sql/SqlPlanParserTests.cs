using Toolbar.Panels.Sql;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>
/// Plan trees from each database's own output. SQL Server cannot run here, so its showplan path is tested against a
/// checked-in showplan XML fixture (Fixtures/showplan-products.xml) in the format SQL Server 2022 returns for
/// SET SHOWPLAN_XML ON; PostgreSQL, MariaDB and SQLite plans come from the real servers in DatabaseSqlTests.
/// </summary>
public sealed class SqlPlanParserTests
{
    [Fact]
    public void Showplan_xml_becomes_a_tree_of_operators_with_tables_rows_and_costs()
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Panels", "Sql", "Fixtures", "showplan-products.xml"));
        var root = Assert.Single(SqlPlanParser.Showplan(xml));
        Assert.Equal("Top", root.NodeType);
        Assert.Equal(0.0361744, root.EstimatedCost);
        var loops = Assert.Single(root.Children);
        Assert.Equal("Nested Loops", loops.NodeType);
        Assert.Equal("Inner Join", loops.Detail);
        Assert.Equal(2, loops.Children.Count);
        var scan = loops.Children[0];
        Assert.Equal(("Clustered Index Scan", "Products", "p", "PK_Products", 10.0), (scan.NodeType, scan.Relation, scan.Alias, scan.Index, scan.EstimatedRows!.Value));
        var seek = loops.Children[1];
        Assert.Equal(("Clustered Index Seek", "Categories", "PK_Categories", 1.0, 0.0328441), (seek.NodeType, seek.Relation, seek.Index, seek.EstimatedRows!.Value, seek.EstimatedCost!.Value));
        Assert.Empty(scan.Children);
        Assert.Empty(seek.Children);
    }

    [Fact]
    public void Postgres_json_plan_keeps_nesting_estimates_and_actuals()
    {
        const string Json = """
            [{"Plan": {"Node Type": "Nested Loop", "Join Type": "Inner", "Startup Cost": 0.15, "Total Cost": 12.5, "Plan Rows": 10, "Actual Rows": 10, "Actual Total Time": 0.2, "Actual Loops": 1,
              "Plans": [
                {"Node Type": "Seq Scan", "Relation Name": "Products", "Alias": "p", "Total Cost": 1.5, "Plan Rows": 50, "Filter": "(\"Name\" ~~ '%1%')"},
                {"Node Type": "Index Scan", "Relation Name": "Categories", "Alias": "c", "Index Name": "PK_Categories", "Total Cost": 0.2, "Plan Rows": 1, "Index Cond": "(\"Id\" = p.\"CategoryId\")"}]},
             "Execution Time": 0.31}]
            """;
        var root = Assert.Single(SqlPlanParser.PostgreSql(Json, out var executionTime));
        Assert.Equal(0.31, executionTime);
        Assert.Equal("Nested Loop (Inner)", root.NodeType);
        Assert.Equal((12.5, 10.0, 10.0), (root.EstimatedCost!.Value, root.EstimatedRows!.Value, root.ActualRows!.Value));
        Assert.Equal(["Products", "Categories"], root.Children.Select(c => c.Relation));
        Assert.Equal("PK_Categories", root.Children[1].Index);
        Assert.Contains("Filter: (\"Name\" ~~ '%1%')", root.Children[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_rows_nest_by_parent()
    {
        List<Dictionary<string, string?>> rows =
        [
            new() { ["id"] = "2", ["parent"] = "0", ["detail"] = "SCAN p" },
            new() { ["id"] = "5", ["parent"] = "0", ["detail"] = "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)" },
            new() { ["id"] = "9", ["parent"] = "0", ["detail"] = "USE TEMP B-TREE FOR ORDER BY" },
            new() { ["id"] = "12", ["parent"] = "9", ["detail"] = "SCAN x USING COVERING INDEX ix_x" },
        ];
        var roots = SqlPlanParser.Sqlite(rows);
        Assert.Equal(3, roots.Count);
        Assert.Equal(("SCAN", "p"), (roots[0].NodeType, roots[0].Relation));
        Assert.Equal(("SEARCH", "c"), (roots[1].NodeType, roots[1].Relation));
        Assert.Equal("ix_x", Assert.Single(roots[2].Children).Index);
    }
}
