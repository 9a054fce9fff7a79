using Microsoft.AspNetCore.Http;

namespace Toolbar.Internal;

/// <summary>
/// <see cref="IHttpContextAccessor"/> that keeps the context in the toolbar's async local (<see cref="RequestAmbient"/>)
/// instead of one of its own, with exactly the framework accessor's behaviour: the value flows with the execution
/// context, and clearing it (the server does at the end of the request) clears it for every flow that captured it.
/// Used only where the toolbar can track requests; elsewhere the app keeps the framework's accessor.
/// </summary>
internal sealed class ToolbarHttpContextAccessor : IHttpContextAccessor
{
    public HttpContext? HttpContext
    {
        get => RequestRecord.Ambient?.Context;
        set
        {
            if (RequestRecord.Ambient is { } ambient)
            {
                // The request is over (or another starts on this flow): flows that outlive it must not see its context.
                ambient.Context = null;
            }

            if (value is not null)
            {
                RequestRecord.Ambient = new RequestAmbient { Context = value, Record = RequestRecord.Ambient?.Record };
            }
        }
    }
}
