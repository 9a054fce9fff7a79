using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Toolbar.Internal;

/// <summary>
/// Reads a named property of diagnostic payloads whose types we cannot reference (EF Core's event
/// data, SqlClient's anonymous payloads). One compiled getter per payload type, built on first use.
/// </summary>
internal sealed class PropertyReader(string name)
{
    private readonly ConcurrentDictionary<Type, Func<object, object?>?> _getters = new();

    // Events of one source come with the same payload type again and again: remember the last one.
    private Last? _last;

    public object? Read(object payload)
    {
        var type = payload.GetType();
        var last = Volatile.Read(ref _last);
        if (last is null || !ReferenceEquals(last.Type, type))
        {
            last = new Last(type, _getters.GetOrAdd(type, Build, name));
            Volatile.Write(ref _last, last);
        }

        return last.Getter?.Invoke(payload);
    }

    private sealed record Last(Type Type, Func<object, object?>? Getter);

    private static Func<object, object?>? Build(Type type, string name)
    {
        var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        if (property?.GetMethod is null || property.GetIndexParameters().Length > 0)
        {
            return null;
        }

        var instance = Expression.Parameter(typeof(object), "payload");
        var body = Expression.Convert(Expression.Property(Expression.Convert(instance, type), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, instance).Compile();
    }
}
