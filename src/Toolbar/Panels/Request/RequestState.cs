using Microsoft.AspNetCore.Http;

namespace Toolbar.Panels.Request;

/// <summary>What the request panel must catch while the app still runs.</summary>
internal sealed class RequestState
{
    /// <summary>The app's session: the session middleware removes its feature when it is done, before the request finishes.</summary>
    public ISession? Session { get; set; }
}
