namespace Toolbar.Internal;

/// <summary>
/// The developer exception page, run by the toolbar for an exception that escapes the app in Development (the
/// page the app would show anyway), so that page carries the toolbar and its log record lands in the request.
/// <see cref="Handler"/> is <c>null</c> outside Development or when <see cref="ToolbarOptions.DeveloperExceptionPage"/> is off.
/// </summary>
internal sealed record DeveloperPage(Microsoft.AspNetCore.Http.RequestDelegate? Handler);
