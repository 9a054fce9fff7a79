using System.Diagnostics;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Toolbar.Panels.Views;

/// <summary>
/// The app's <see cref="ITagHelperFactory"/>, counting the tag helpers a tracked request's Razor files create (the
/// Razor runtime raises no event for them; every tag helper of a page is created through this service, once per
/// element it applies to). It returns exactly what the app's factory returns; outside a tracked request it only
/// forwards the call.
/// </summary>
internal sealed class InstrumentedTagHelperFactory(ITagHelperFactory inner) : ITagHelperFactory
{
    public TTagHelper CreateTagHelper<TTagHelper>(ViewContext context) where TTagHelper : ITagHelper
    {
        if (ViewsObserver.CurrentState is not { } state)
        {
            return inner.CreateTagHelper<TTagHelper>(context);
        }

        var start = Stopwatch.GetTimestamp();
        var tagHelper = inner.CreateTagHelper<TTagHelper>(context);
        var ticks = Stopwatch.GetTimestamp() - start;
        try
        {
            state.TagHelperCreated(typeof(TTagHelper), ticks);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A collector must never fail the app's rendering.
        }

        return tagHelper;
    }
}
