using System.Diagnostics;
using System.Reflection;

namespace Toolbar.Panels.Threads;

/// <summary>Turns the stack of a blocked thread into the kind of wait and the app's own frames.</summary>
internal static class WaitStack
{
    /// <summary>Most app frames kept per wait.</summary>
    public const int MaxFrames = 12;

    public static (string Kind, List<string> Frames) Describe(StackTrace trace)
    {
        var frames = trace.GetFrames();
        var firstApp = -1;
        for (var i = 0; i < frames.Length; i++)
        {
            if (frames[i].GetMethod() is { } method && IsAppCode(method))
            {
                firstApp = i;
                break;
            }
        }

        var kind = "Task wait";
        // The framework frame closest to the app's code names the API the app called.
        for (var i = (firstApp < 0 ? frames.Length : firstApp) - 1; i >= 0; i--)
        {
            if (KindOf(frames[i].GetMethod()) is { } found)
            {
                kind = found;
                break;
            }
        }

        var app = new List<string>();
        if (firstApp >= 0)
        {
            for (var i = firstApp; i < frames.Length && app.Count < MaxFrames; i++)
            {
                if (frames[i].GetMethod() is { } method && IsAppCode(method))
                {
                    app.Add(Format(frames[i], method));
                }
            }
        }

        return (kind, app);
    }

    /// <summary>App code = not the runtime's, the framework's or the toolbar's own assemblies.</summary>
    internal static bool IsAppCode(MethodBase method)
    {
        var name = method.DeclaringType?.Assembly.GetName().Name;
        if (name is null)
        {
            return false;
        }

        return !(name is "System" or "mscorlib" or "netstandard" or "Toolbar" or "Toolbar.Core"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal));
    }

    private static string? KindOf(MethodBase? method)
    {
        var type = method?.DeclaringType;
        if (type is null || type.Namespace is not ("System.Threading.Tasks" or "System.Runtime.CompilerServices"))
        {
            return null;
        }

        var typeName = type.Name;
        return method!.Name switch
        {
            "get_Result" or "GetResultCore" when typeName.StartsWith("Task", StringComparison.Ordinal) => "Task.Result",
            "GetResult" when typeName.Contains("Awaiter", StringComparison.Ordinal) => "GetAwaiter().GetResult()",
            "WaitAll" or "WaitAllCore" => "Task.WaitAll()",
            "WaitAny" or "WaitAnyCore" => "Task.WaitAny()",
            "Wait" when typeName.StartsWith("Task", StringComparison.Ordinal) => "Task.Wait()",
            // The awaiters' frames are hidden from stack traces: a wait entered straight from app code came through GetResult().
            "InternalWait" or "InternalWaitCore" => "GetAwaiter().GetResult()",
            _ => null,
        };
    }

    internal static string Format(StackFrame frame, MethodBase method)
    {
        var text = MethodName(method);
        var file = frame.GetFileName();
        return file is null ? text : $"{text} in {Path.GetFileName(file)}:line {frame.GetFileLineNumber()}";
    }

    /// <summary><c>Type.Method</c>, with async state machines and lambdas named after the method the app wrote.</summary>
    internal static string MethodName(MethodBase method)
    {
        var type = method.DeclaringType;
        var name = method.Name;
        // async methods run as <Name>d__N.MoveNext; lambdas as <Outer>b__N_M in a nested <>c class.
        while (type is not null && type.Name.StartsWith('<') && type.DeclaringType is not null)
        {
            var end = type.Name.IndexOf('>', StringComparison.Ordinal);
            if (name == "MoveNext" && end > 1)
            {
                name = type.Name[1..end];
            }

            type = type.DeclaringType;
        }

        if (name.StartsWith('<'))
        {
            // <Outer>b__0_1; top-level statements make it <<Main>$>b__0_1.
            var end = name.LastIndexOf('>');
            name = end > 1 ? $"{name[1..end]} lambda" : name;
        }

        return type is null ? name : $"{type.FullName?.Replace('+', '.')}.{name}";
    }
}
