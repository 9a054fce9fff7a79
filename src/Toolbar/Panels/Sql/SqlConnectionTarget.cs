using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;

namespace Toolbar.Panels.Sql;

/// <summary>
/// Enough to open a fresh connection like the one a command used, for EXPLAIN. Held in memory only:
/// a connection string may carry a password, so it never reaches JSON or HTML.
/// </summary>
internal sealed record SqlConnectionTarget(Type ConnectionType, string ConnectionString)
{
    private const int MaxCached = 256;
    private static readonly ConcurrentDictionary<(Type, string), SqlConnectionTarget> s_targets = new();

    /// <summary>
    /// An unopened copy of the app's connection, made once per connection string: providers hide the password
    /// from <see cref="DbConnection.ConnectionString"/> once a connection has opened, but their copies keep it.
    /// </summary>
    public DbConnection? Template { get; init; }

    /// <summary>The connection string as the app configured it (password included), when a source knows it (EF Core does).</summary>
    public string? FullConnectionString { get; init; }

    /// <summary>
    /// The target of <paramref name="connection"/>, shared by every command with the same connection string.
    /// <paramref name="fullConnectionString"/> is asked only the first time a connection string is seen.
    /// </summary>
    public static SqlConnectionTarget For(DbConnection connection, Func<string?>? fullConnectionString = null)
    {
        var key = (connection.GetType(), connection.ConnectionString ?? "");
        if (s_targets.TryGetValue(key, out var target))
        {
            return target;
        }

        string? full = null;
        try
        {
            full = fullConnectionString?.Invoke();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or TargetInvocationException or ArgumentException)
        {
            // Only a convenience: without it, the provider's copy of the connection is used.
        }

        DbConnection? template = null;
        try
        {
            template = (connection as ICloneable)?.Clone() as DbConnection;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // Without a copy EXPLAIN still works when the connection string carries no hidden password.
        }

        target = new SqlConnectionTarget(key.Item1, key.Item2) { Template = template, FullConnectionString = full };
        return s_targets.Count < MaxCached ? s_targets.GetOrAdd(key, target) : target;
    }

    /// <summary>
    /// A new, unopened connection to the same database with <paramref name="adjust"/> applied to its connection
    /// string, keeping the credentials of the app's connection (Npgsql and MySqlConnector <c>CloneWith</c>, or the
    /// full connection string of an unopened copy).
    /// </summary>
    public DbConnection CreateConnection(Func<string, string> adjust)
    {
        if (Template is { } template)
        {
            var cloneWith = template.GetType().GetMethod("CloneWith", BindingFlags.Public | BindingFlags.Instance, [typeof(string)]);
            if (cloneWith is not null && typeof(DbConnection).IsAssignableFrom(cloneWith.ReturnType))
            {
                return (DbConnection)cloneWith.Invoke(template, [adjust(FullConnectionString ?? ConnectionString)])!;
            }

            if (FullConnectionString is not null)
            {
                var connection = (DbConnection)Activator.CreateInstance(ConnectionType)!;
                connection.ConnectionString = adjust(FullConnectionString);
                return connection;
            }

            if ((template as ICloneable)?.Clone() is DbConnection copy)
            {
                // An unopened copy shows its whole connection string, password included.
                copy.ConnectionString = adjust(copy.ConnectionString);
                return copy;
            }
        }

        if (Activator.CreateInstance(ConnectionType) is not DbConnection plain)
        {
            throw new NotSupportedException($"{ConnectionType.Name} is not a DbConnection.");
        }

        plain.ConnectionString = adjust(FullConnectionString ?? ConnectionString);
        return plain;
    }
}
