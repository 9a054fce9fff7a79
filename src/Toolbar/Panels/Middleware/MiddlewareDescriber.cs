using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace Toolbar.Panels.Middleware;

/// <summary>
/// Names a pipeline component (a <c>Func&lt;RequestDelegate, RequestDelegate&gt;</c>) after what the app wrote:
/// the middleware class of <c>UseMiddleware&lt;T&gt;()</c>, the lambda or method of <c>app.Use(...)</c> and
/// <c>app.Run(...)</c>, or the framework method that added it.
/// </summary>
internal static class MiddlewareDescriber
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static MiddlewareInfo Describe(int index, Func<RequestDelegate, RequestDelegate> component, string kind)
    {
        var target = component.Target;
        var method = component.Method;
        if (target is not null && method.Name == "CreateMiddleware")
        {
            // UseMiddleware<T>() binds through a small object that keeps the middleware type in a field.
            var type = FieldValues(target).OfType<Type>().FirstOrDefault();
            if (type is not null)
            {
                return FromType(index, type, kind);
            }
        }

        if (target is not null && IsCompilerGenerated(target.GetType()))
        {
            // app.Use((context, next) => ...) and app.Run(handler) wrap the app's delegate in a closure of the framework's.
            var inner = FieldValues(target).OfType<Delegate>().FirstOrDefault(IsMiddlewareShaped);
            if (inner is not null)
            {
                return FromMethod(index, inner.Method, kind);
            }
        }

        return FromMethod(index, method, kind);
    }

    private static MiddlewareInfo FromType(int index, Type type, string kind)
    {
        if (type.Assembly == typeof(ToolbarOptions).Assembly && type.Name == "ToolbarMiddleware")
        {
            kind = "toolbar";
        }

        return new MiddlewareInfo(index, type.Name, $"{type.FullName} ({type.Assembly.GetName().Name})", kind, type.FullName);
    }

    private static MiddlewareInfo FromMethod(int index, MethodInfo method, string kind)
    {
        var type = method.DeclaringType;
        // Lambdas live in compiler-generated classes (<>c, <>c__DisplayClass) nested in the type that wrote them.
        while (type is not null && IsCompilerGenerated(type) && type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        var typeName = type?.Name ?? "?";
        var methodName = method.Name;
        string name;
        if (methodName.StartsWith('<'))
        {
            // <Map>b__0 is a lambda written in Map; top-level statements give <<Main>$>b__0_1.
            var end = methodName.LastIndexOf('>');
            var outer = end > 1 ? methodName[1..end] : methodName;
            name = outer is "Main" or "<Main>$" ? $"lambda in {typeName}" : $"lambda in {typeName}.{outer}";
        }
        else
        {
            name = $"{typeName}.{methodName}";
        }

        var assembly = (type ?? method.DeclaringType)?.Assembly.GetName().Name;
        return new MiddlewareInfo(index, name, $"{type?.FullName}.{methodName} ({assembly})", kind, null);
    }

    private static bool IsMiddlewareShaped(Delegate d) =>
        d is RequestDelegate or Func<HttpContext, RequestDelegate, Task> or Func<HttpContext, Func<Task>, Task>;

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || type.Name.StartsWith('<');

    private static IEnumerable<object> FieldValues(object target)
    {
        foreach (var field in target.GetType().GetFields(InstanceFields))
        {
            object? value;
            try
            {
                value = field.GetValue(target);
            }
            catch (Exception)
            {
                continue;
            }

            if (value is not null)
            {
                yield return value;
            }
        }
    }
}
