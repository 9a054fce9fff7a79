using Microsoft.AspNetCore.Http;

namespace Toolbar.Internal;

/// <summary>
/// The value of the toolbar's one async local for a request: its tracked record and, when the app uses
/// <c>IHttpContextAccessor</c>, its <c>HttpContext</c> (see <see cref="ToolbarHttpContextAccessor"/>).
/// </summary>
internal sealed class RequestAmbient
{
    /// <summary>The request's context as <c>IHttpContextAccessor</c> gives it; cleared when the request ends.</summary>
    public HttpContext? Context;

    /// <summary>The tracked record, or <c>null</c> while none is tracked.</summary>
    public RequestRecord? Record;
}
