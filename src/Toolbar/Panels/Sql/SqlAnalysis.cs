using System.Text;

namespace Toolbar.Panels.Sql;

/// <summary>Turns the raw commands of a request into the panel's data: masking, stacks, duplicates, similar, N+1.</summary>
internal static class SqlAnalysis
{
    public static SqlData Build(List<SqlCommandRecord> commands, int count, double totalMs, int errors, RequestRecord record, SqlPanelOptions options, SecretMasker masker, AppCode appCode, List<SqlTransactionRecord>? transactions = null)
    {
        var data = new SqlData
        {
            Count = count,
            DurationMs = Math.Round(totalMs, 3),
            ErrorCount = errors,
            OmittedCount = Math.Max(0, count - commands.Count),
            RequestDurationMs = Math.Round(record.DurationMs, 3),
        };

        // Identity of a run: the SQL, and the SQL plus its parameter values (compared unmasked, shown masked).
        var signatures = new string[commands.Count];
        var bySql = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var bySignature = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            var dialect = SqlDialects.FromProvider(command.Provider);
            // Masking by meaning: a parameter bound to a secret-looking column is masked whatever its own name (@p0…).
            var secretColumns = command.CommandType == System.Data.CommandType.Text
                ? SqlSecretColumns.Find(command.Sql, dialect, command.Parameters, masker)
                : [];
            IReadOnlyList<SqlRawParameter> maskedParameters = secretColumns.Count == 0
                ? command.Parameters
                : command.Parameters.Select((p, index) => secretColumns.Contains(index) && p.Value is not (null or DBNull) ? p with { Value = SecretMasker.Mask } : p).ToArray();
            var query = new SqlQuery
            {
                Index = i,
                Sql = command.Sql,
                DurationMs = Math.Round(command.DurationMs, 3),
                StartMs = Math.Round(record.ToOffsetMs(command.StartTimestamp), 3),
                Provider = command.Provider,
                Source = command.Source switch
                {
                    SqlSource.EFCore => "EF Core",
                    SqlSource.SqlClient => "SqlClient",
                    _ => "ADO.NET",
                },
                Database = command.Database,
                ExecuteMethod = command.ExecuteMethod,
                RowsAffected = command.RowsAffected,
                RowsRead = command.RowsRead,
                Error = command.Error,
                Frames = appCode.Resolve(appCode.AppFrames(command.Stack, options.MaxStackFrames)),
                ErrorCode = command.ErrorCode,
                ErrorNumber = command.ErrorNumber,
                IsSelect = command.CommandType == System.Data.CommandType.Text && SqlText.IsSingleSelect(command.Sql, dialect),
                Dialect = dialect.ToString().ToLowerInvariant(),
                CommandType = command.CommandType.ToString(),
                StatementCount = command.CommandType == System.Data.CommandType.Text ? Math.Max(1, SqlText.StatementCount(command.Sql, dialect)) : 1,
                TransactionId = command.TransactionId,
                SqlRunnable = SqlRunnable.Build(command.Sql, command.CommandType, maskedParameters, dialect, masker),
                Target = command.Target,
                RawParameters = command.Parameters,
            };

            query.Stack = query.Frames.ConvertAll(f => f.Method);
            var signature = new StringBuilder(command.Sql).Append('\0');
            for (var p = 0; p < command.Parameters.Length; p++)
            {
                var parameter = command.Parameters[p];
                var text = SqlCommandRecord.FormatValue(parameter.Value, options.MaxParameterLength);
                signature.Append(parameter.Name).Append('=').Append(text).Append('\0');
                query.Parameters.Add(new SqlParameterValue
                {
                    Name = parameter.Name,
                    Value = secretColumns.Contains(p) && text is not null ? SecretMasker.Mask : masker.Apply(parameter.Name, text),
                    Type = parameter.DbType.ToString(),
                });
            }

            signatures[i] = signature.ToString();
            bySignature[signatures[i]] = bySignature.GetValueOrDefault(signatures[i]) + 1;
            if (!bySql.TryGetValue(command.Sql, out var runs))
            {
                bySql[command.Sql] = runs = [];
            }

            runs.Add(i);
            data.Queries.Add(query);
        }

        foreach (var query in data.Queries)
        {
            var same = bySignature[signatures[query.Index]];
            query.DuplicateCount = same - 1;
            query.SimilarCount = bySql[query.Sql].Count - same;
        }

        data.DuplicateCount = bySignature.Values.Sum(n => n - 1);
        foreach (var (sql, runs) in bySql)
        {
            // N+1: the same statement over and over with different values (pure repeats are duplicates instead).
            var distinct = runs.Select(i => signatures[i]).Distinct(StringComparer.Ordinal).Count();
            if (runs.Count >= options.NPlusOneThreshold && distinct > 1)
            {
                var first = data.Queries[runs[0]];
                data.NPlusOne.Add(new SqlNPlusOne
                {
                    Sql = sql,
                    Count = runs.Count,
                    DurationMs = Math.Round(runs.Sum(i => data.Queries[i].DurationMs), 3),
                    CallSite = first.Stack.Count > 0 ? first.Stack[0] : null,
                    Indexes = runs,
                });
            }
        }

        data.NPlusOne.Sort((a, b) => b.Count.CompareTo(a.Count));
        foreach (var transaction in transactions ?? [])
        {
            var inside = data.Queries.Where(q => q.TransactionId == transaction.Id).Select(q => q.Index).ToList();
            // A transaction first seen through a command starts with that command.
            var start = transaction.StartSeen || inside.Count == 0 ? record.ToOffsetMs(transaction.StartTimestamp) : data.Queries[inside[0]].StartMs;
            data.Transactions.Add(new SqlTransaction
            {
                Id = transaction.Id,
                Source = transaction.Source,
                IsolationLevel = transaction.IsolationLevel,
                StartMs = Math.Round(start, 3),
                DurationMs = transaction.EndTimestamp is { } end ? Math.Round(Math.Max(0, record.ToOffsetMs(end) - start), 3) : null,
                Outcome = transaction.Outcome ?? "open",
                QueryIndexes = inside,
            });
        }

        return data;
    }
}
