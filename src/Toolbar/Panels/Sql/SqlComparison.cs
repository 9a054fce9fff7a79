using System.Text;

namespace Toolbar.Panels.Sql;

/// <summary>The SQL panel's side of "compare two requests": statements by normalized text, totals, N+1 groups.</summary>
internal static class SqlComparison
{
    public static object Compare(SqlData a, SqlData b)
    {
        var before = Group(a);
        var after = Group(b);
        var added = after.Keys.Where(k => !before.ContainsKey(k)).Select(k => Row(k, null, after[k])).ToList();
        var removed = before.Keys.Where(k => !after.ContainsKey(k)).Select(k => Row(k, before[k], null)).ToList();
        var changed = before.Keys.Where(k => after.TryGetValue(k, out var s) && s.Count != before[k].Count)
            .Select(k => Row(k, before[k], after[k])).ToList();
        var groupsA = a.NPlusOne.ToDictionary(g => Normalize(g.Sql), g => g.Count, StringComparer.Ordinal);
        var groupsB = b.NPlusOne.ToDictionary(g => Normalize(g.Sql), g => g.Count, StringComparer.Ordinal);
        return new
        {
            count = CompareFigure.Of(a.Count, b.Count),
            durationMs = CompareFigure.Of(a.DurationMs, b.DurationMs),
            errorCount = CompareFigure.Of(a.ErrorCount, b.ErrorCount),
            duplicateCount = CompareFigure.Of(a.DuplicateCount, b.DuplicateCount),
            statements = new { added, removed, changed, unchanged = before.Keys.Count(k => after.TryGetValue(k, out var s) && s.Count == before[k].Count) },
            nPlusOne = new
            {
                appeared = groupsB.Where(g => !groupsA.ContainsKey(g.Key)).Select(g => new { sql = g.Key, count = g.Value }).ToList(),
                gone = groupsA.Where(g => !groupsB.ContainsKey(g.Key)).Select(g => new { sql = g.Key, count = g.Value }).ToList(),
                stayed = groupsA.Where(g => groupsB.ContainsKey(g.Key)).Select(g => new { sql = g.Key, count = CompareFigure.Of(g.Value, groupsB[g.Key]) }).ToList(),
            },
        };
    }

    /// <summary>The statement with runs of whitespace collapsed, so layout differences do not count as changes.</summary>
    public static string Normalize(string sql)
    {
        var builder = new StringBuilder(sql.Length);
        var space = false;
        foreach (var c in sql)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static Dictionary<string, (int Count, double DurationMs)> Group(SqlData data)
    {
        var groups = new Dictionary<string, (int Count, double DurationMs)>(StringComparer.Ordinal);
        foreach (var query in data.Queries)
        {
            var key = Normalize(query.Sql);
            var (count, ms) = groups.GetValueOrDefault(key);
            groups[key] = (count + 1, ms + query.DurationMs);
        }

        return groups;
    }

    private static object Row(string sql, (int Count, double DurationMs)? a, (int Count, double DurationMs)? b) => new
    {
        sql,
        count = CompareFigure.Of(a?.Count ?? 0, b?.Count ?? 0),
        durationMs = CompareFigure.Of(a?.DurationMs ?? 0, b?.DurationMs ?? 0),
    };
}
