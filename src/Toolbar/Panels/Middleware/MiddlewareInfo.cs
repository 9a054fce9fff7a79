namespace Toolbar.Panels.Middleware;

/// <summary>One middleware of the app's pipeline as seen when the pipeline was built.</summary>
/// <param name="Index">Position in the pipeline, 0 = outermost (first to see the request).</param>
/// <param name="Name">Short name: the middleware type, or the method of an inline middleware.</param>
/// <param name="Source">Where it comes from: full type or method name and assembly.</param>
/// <param name="Kind"><c>host</c> (added by the host or <c>WebApplication</c> around the app's own), <c>app</c> (registered by the app), <c>toolbar</c>.</param>
/// <param name="TypeName">Full name of the middleware type, when it is a middleware class.</param>
internal sealed record MiddlewareInfo(int Index, string Name, string Source, string Kind, string? TypeName);
