namespace Toolbar.Panels.Middleware;

/// <summary>An ordering mistake found in the pipeline, with the one-line fix.</summary>
/// <param name="Message">What is wrong and what it does to requests.</param>
/// <param name="Fix">The change that fixes it.</param>
public sealed record MiddlewareWarning(string Message, string Fix);
