using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Toolbar.Internal;

namespace Toolbar;

/// <summary>
/// The one rule for "the app's own code", shared by every panel that shows frames (SQL call sites, exception
/// stacks, timing steps, log call sites, profilers): a frame is the app's when its method comes from one of the
/// app's own assemblies — the entry assembly, the application's assembly and the projects built with it (the
/// <c>project</c> entries of the app's <c>deps.json</c>, or an assembly in the app's folder that is neither part
/// of the shared framework nor a NuGet package) — never decided by namespace. The toolbar's own assemblies are
/// never app code. <see cref="ToolbarOptions.AppAssemblies"/> and <see cref="ToolbarOptions.NonAppAssemblies"/>
/// adjust the rule. Resolve a frame (<see cref="Resolve(CapturedFrame)"/>) only when its data is built: that is
/// when the app's portable PDB is read. Registered as a singleton by <c>AddDebugToolbar()</c>.
/// </summary>
public sealed class AppCode
{
    private static readonly HashSet<string> s_toolbarAssemblies = new(StringComparer.OrdinalIgnoreCase)
    {
        "Toolbar", "Toolbar.Core", "Toolbar.Redis", "Toolbar.Testing", "Toolbar.Templates",
    };

    private readonly ConcurrentDictionary<Assembly, bool> _isApp = new();
    private readonly ConcurrentDictionary<MethodBase, string> _methodNames = new();
    private readonly HashSet<string> _include;
    private readonly HashSet<string> _exclude;
    private readonly HashSet<string> _applicationNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<DepsFile> _deps = new(DepsFile.Load);
    private readonly string _editorUrl;
    private readonly string[] _searchRoots;
    private readonly ConcurrentDictionary<string, string> _localPaths = new(StringComparer.Ordinal);

    /// <summary>Creates the rule from the toolbar options and the host's application name.</summary>
    public AppCode(IOptions<ToolbarOptions> options, IHostEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _include = new(options.Value.AppAssemblies, StringComparer.OrdinalIgnoreCase);
        _exclude = new(options.Value.NonAppAssemblies, StringComparer.OrdinalIgnoreCase);
        _editorUrl = options.Value.EditorUrl ?? "";
        if (Assembly.GetEntryAssembly()?.GetName().Name is { } entry)
        {
            _applicationNames.Add(entry);
        }

        if (environment?.ApplicationName is { Length: > 0 } name)
        {
            _applicationNames.Add(name);
        }

        _searchRoots = [.. new[] { environment?.ContentRootPath, AppContext.BaseDirectory }
            .Where(root => !string.IsNullOrEmpty(root))
            .Select(root => Path.GetFullPath(root!))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether the assembly is one of the app's own (see the class remarks for the rule).</summary>
    public bool IsAppAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return _isApp.GetOrAdd(assembly, Decide);
    }

    /// <summary>Whether the method belongs to the app's own code.</summary>
    public bool IsAppMethod(MethodBase? method) =>
        method?.DeclaringType is { } type && IsAppAssembly(type.Assembly);

    /// <summary>
    /// The app's frames of a stack, innermost first, at most <paramref name="max"/>; consecutive frames of the
    /// same method (an async method's state machine and its caller) are kept once. Cheap: no file lookup.
    /// </summary>
    public List<CapturedFrame> AppFrames(StackTrace? stack, int max = 32)
    {
        var frames = new List<CapturedFrame>();
        if (stack is null)
        {
            return frames;
        }

        MethodBase? last = null;
        for (var i = 0; i < stack.FrameCount && frames.Count < max; i++)
        {
            var frame = stack.GetFrame(i);
            if (frame?.GetMethod() is not { } method || !IsAppMethod(method))
            {
                continue;
            }

            if (last is not null && DescribeMethod(last) == DescribeMethod(method))
            {
                continue;
            }

            last = method;
            frames.Add(new CapturedFrame(method, frame.GetILOffset()));
        }

        return frames;
    }

    /// <summary>
    /// Every frame of a stack with whether it is the app's, innermost first (e.g. for an exception's full stack). Frames
    /// whose method or type is marked <see cref="StackTraceHiddenAttribute"/> are left out, as
    /// <see cref="Exception.ToString"/> and the developer exception page leave them out.
    /// </summary>
    public List<(CapturedFrame Frame, bool IsApp)> AllFrames(StackTrace? stack)
    {
        var frames = new List<(CapturedFrame, bool)>();
        if (stack is null)
        {
            return frames;
        }

        for (var i = 0; i < stack.FrameCount; i++)
        {
            var frame = stack.GetFrame(i);
            if (frame?.GetMethod() is { } method && !IsHidden(method))
            {
                frames.Add((new CapturedFrame(method, frame.GetILOffset()), IsAppMethod(method)));
            }
        }

        return frames;
    }

    // Not cached: it is asked only when a stack is described, and a cache would keep runtime-made methods and
    // collectible assemblies alive.
    private static bool IsHidden(MethodBase method)
    {
        try
        {
            return method.IsDefined(typeof(StackTraceHiddenAttribute), inherit: false)
                || (method.DeclaringType?.IsDefined(typeof(StackTraceHiddenAttribute), inherit: false) ?? false);
        }
        catch
        {
            // An attribute whose assembly is missing, a method that cannot list its attributes: shown, as the runtime
            // shows it.
            return false;
        }
    }

    /// <summary>The method's display name, <c>Namespace.Type.Method</c>, with async state machines and lambdas folded into their method.</summary>
    public string DescribeMethod(MethodBase method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return _methodNames.GetOrAdd(method, static m => Describe(m));
    }

    /// <summary>Looks up the frame's file, line and column in its assembly's portable PDB and makes the editor link.</summary>
    public CodeFrame Resolve(CapturedFrame frame)
    {
        var result = new CodeFrame { Method = DescribeMethod(frame.Method) };
        if (PortablePdb.Find(frame.Method, frame.ILOffset) is { } location)
        {
            result.File = LocalPath(location.File);
            result.Line = location.Line;
            result.Column = location.Column;
            result.EditorUrl = EditorLink(result.File, location.Line, location.Column);
        }

        return result;
    }

    /// <summary>Resolves several frames (see <see cref="Resolve(CapturedFrame)"/>).</summary>
    public List<CodeFrame> Resolve(IEnumerable<CapturedFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return [.. frames.Select(Resolve)];
    }

    /// <summary>
    /// The editor link for a source position: <see cref="ToolbarOptions.EditorUrl"/> with <c>{file}</c>, <c>{line}</c>
    /// and <c>{column}</c> filled in (the file's path URL-escaped per segment, slashes kept), or <c>null</c> when no template is set.
    /// </summary>
    public string? EditorLink(string file, int line, int column)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (_editorUrl.Length == 0)
        {
            return null;
        }

        var path = file.Replace('\\', '/');
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        return _editorUrl
            .Replace("{file}", escaped, StringComparison.Ordinal)
            .Replace("{line}", line.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{column}", Math.Max(1, column).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// The file's path on this machine. A deterministic build (<c>ContinuousIntegrationBuild</c>, or a <c>PathMap</c>
    /// to <c>/_/</c>, <c>/_1/</c>, …) writes a mapped path into the PDB instead of the checkout's: such a path is
    /// looked for under the app's content root, its base directory and their parents, and kept as it is when not found.
    /// </summary>
    internal string LocalPath(string file)
    {
        if (!IsMappedPath(file))
        {
            return file;
        }

        return _localPaths.GetOrAdd(file, static (mapped, roots) =>
        {
            var rest = mapped[(mapped.IndexOf('/', 1) + 1)..];
            foreach (var root in roots)
            {
                for (var dir = root; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                {
                    var candidate = Path.Combine(dir, rest);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            return mapped;
        }, _searchRoots);
    }

    // "/_/" or "/_<digits>/" at the start: the roots the SDK's deterministic source paths are mapped to.
    private static bool IsMappedPath(string file)
    {
        if (file.Length < 4 || file[0] != '/' || file[1] != '_')
        {
            return false;
        }

        var i = 2;
        while (i < file.Length && char.IsAsciiDigit(file[i]))
        {
            i++;
        }

        return i < file.Length - 1 && file[i] == '/';
    }

    private bool Decide(Assembly assembly)
    {
        var name = assembly.GetName().Name ?? "";
        if (_exclude.Contains(name) || s_toolbarAssemblies.Contains(name) || assembly.IsDynamic)
        {
            return false;
        }

        if (_include.Contains(name) || _applicationNames.Contains(name))
        {
            return true;
        }

        switch (_deps.Value.KindOf(name))
        {
            case "project":
                return true;
            case "package":
            case "reference":
            case "runtimepack":
                return false;
        }

        // Not described by deps.json: the app's when its file sits in the app's folder and is not the framework's.
        var location = assembly.Location;
        if (location.Length == 0)
        {
            return false;
        }

        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "";
        var sharedDir = Path.GetDirectoryName(Path.GetDirectoryName(runtimeDir)) ?? runtimeDir;
        if (location.StartsWith(sharedDir, StringComparison.Ordinal) || IsInPackageCache(location))
        {
            return false;
        }

        return location.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal);
    }

    private static bool IsInPackageCache(string location) =>
        location.Contains("/.nuget/packages/", StringComparison.OrdinalIgnoreCase)
        || location.Contains("\\.nuget\\packages\\", StringComparison.OrdinalIgnoreCase)
        || (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache && location.StartsWith(cache, StringComparison.OrdinalIgnoreCase));

    private static string Describe(MethodBase method)
    {
        var methodName = method.Name;
        var type = method.DeclaringType;
        if (type is null)
        {
            return methodName;
        }

        // Async state machines and lambdas live in nested types like <OnGetAsync>d__5 or <>c__DisplayClass3_0.
        while (type.DeclaringType is not null && type.Name.StartsWith('<'))
        {
            var close = MatchingClose(type.Name);
            if (close > 1 && methodName is "MoveNext")
            {
                methodName = type.Name[1..close];
            }

            type = type.DeclaringType;
        }

        if (methodName.StartsWith('<'))
        {
            // A local function is <Outer>g__Name|1_0; a lambda is <Outer>b__1_0. Outer may itself be bracketed:
            // top-level statements compile to <Main>$, so their lambdas are <<Main>$>b__0_1.
            var close = MatchingClose(methodName);
            var local = methodName.IndexOf(">g__", StringComparison.Ordinal);
            if (local > 1)
            {
                var end = methodName.IndexOf('|', local);
                methodName = methodName[(local + 4)..(end > local ? end : methodName.Length)];
            }
            else
            {
                methodName = close > 1 ? OuterName(methodName[1..close]) + " (lambda)" : methodName;
            }
        }

        return new StringBuilder(type.FullName ?? type.Name).Append('.').Append(methodName).ToString();
    }

    /// <summary>Index of the '&gt;' that closes the '&lt;' a compiler-generated name starts with (names nest: &lt;&lt;Main&gt;$&gt;b__0_1).</summary>
    private static int MatchingClose(string name)
    {
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '<')
            {
                depth++;
            }
            else if (name[i] == '>' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The method a lambda was written in; the top-level statements' <c>&lt;Main&gt;$</c> reads as Main.</summary>
    private static string OuterName(string name) => name == "<Main>$" ? "Main" : name;
}
