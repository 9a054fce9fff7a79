using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;

namespace Toolbar.Panels.Sql;

/// <summary>The server's error code of a failed command: SQLSTATE and the provider's error number.</summary>
internal static class SqlErrors
{
    // Providers name their number differently: MySqlConnector, MySql.Data and SqlClient "Number", SQLite "SqliteErrorCode".
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> s_numberProperty = new();

    public static (string? SqlState, int? Number) Codes(Exception? exception)
    {
        if (exception is not DbException db)
        {
            return (null, null);
        }

        string? state = null;
        try
        {
            state = db.SqlState;
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            // Some providers do not implement it.
        }

        var property = s_numberProperty.GetOrAdd(db.GetType(), static type =>
            type.GetProperty("Number", BindingFlags.Public | BindingFlags.Instance) is { PropertyType: var t } p && t == typeof(int) ? p
            : type.GetProperty("SqliteErrorCode", BindingFlags.Public | BindingFlags.Instance) is { PropertyType: var s } q && s == typeof(int) ? q
            : null);
        int? number = property?.GetValue(db) is int value ? value : null;
        return (string.IsNullOrEmpty(state) ? null : state, number);
    }
}
