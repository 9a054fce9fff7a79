using System.Diagnostics;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Diagnostics;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Toolbar.Panels.Views;

/// <summary>
/// Reads MVC's and Razor's own diagnostic events (on the app's <c>Microsoft.AspNetCore</c> diagnostic listener):
/// actions, page handlers, view components and every Razor page rendered (views, layouts, partials, view starts).
/// It says it is interested in an event only while a tracked request runs, so untracked requests build no event data.
/// Each step is also an activity of the <see cref="ActivitySourceName"/> source, so the timing panel shows it.
/// </summary>
internal sealed class ViewsObserver(ViewsPanel panel) : IObserver<KeyValuePair<string, object?>>
{
    /// <summary>Name of the activity source of render steps.</summary>
    public const string ActivitySourceName = "Toolbar.Views";

    private static readonly ActivitySource s_source = new(ActivitySourceName);

    private static readonly HashSet<string> s_events =
    [
        BeforeActionEventData.EventName, AfterActionEventData.EventName,
        BeforeHandlerMethodEventData.EventName, AfterHandlerMethodEventData.EventName,
        BeforeViewComponentEventData.EventName, AfterViewComponentEventData.EventName,
        BeforeViewPageEventData.EventName, AfterViewPageEventData.EventName,
    ];

    public bool IsEnabled(string name) => s_events.Contains(name) && Current is not null;

    private ViewsState? Current => panel.Index < 0 ? null : CurrentState;

    /// <summary>The views state of the tracked request running here (it exists only while the panel is on), or <c>null</c>.</summary>
    public static ViewsState? CurrentState => RequestRecord.Current?.FindState<ViewsState>();

    public void OnNext(KeyValuePair<string, object?> value)
    {
        try
        {
            var state = Current;
            if (state is null)
            {
                return;
            }

            switch (value.Value)
            {
                case BeforeActionEventData before:
                    BeginAction(state, before.ActionDescriptor);
                    break;
                case AfterActionEventData after:
                    End(state, after.ActionDescriptor);
                    break;
                case BeforeHandlerMethodEventData before:
                    state.Begin("handler", before.HandlerMethodDescriptor.MethodInfo.Name, TypeName(before.HandlerMethodDescriptor.MethodInfo.DeclaringType), TypeName(before.Instance?.GetType()), before.HandlerMethodDescriptor, Start);
                    break;
                case AfterHandlerMethodEventData after:
                    End(state, after.HandlerMethodDescriptor);
                    break;
                case BeforeViewComponentEventData before:
                    var descriptor = before.ViewComponentContext.ViewComponentDescriptor;
                    state.Begin("viewComponent", descriptor.ShortName, TypeName(descriptor.TypeInfo), null, before.ViewComponentContext, Start);
                    break;
                case AfterViewComponentEventData after:
                    var ended = End(state, after.ViewComponentContext);
                    if (ended is not null && after.ViewComponentResult is Microsoft.AspNetCore.Mvc.ViewComponents.ViewViewComponentResult { ViewData: { } viewData })
                    {
                        ended.ModelType = ModelTypeOf(viewData);
                    }

                    break;
                case BeforeViewPageEventData before:
                    BeginPage(state, before.Page, before.ViewContext);
                    break;
                case AfterViewPageEventData after:
                    End(state, after.Page);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A collector must never fail the app's rendering.
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    private static void BeginAction(ViewsState state, ActionDescriptor action)
    {
        switch (action)
        {
            case CompiledPageActionDescriptor page:
                state.Begin("page", page.ViewEnginePath, page.RelativePath, TypeName(page.ModelTypeInfo ?? page.HandlerTypeInfo), action, Start);
                break;
            case ControllerActionDescriptor controller:
                state.Begin("action", controller.ControllerName + "." + controller.ActionName, TypeName(controller.ControllerTypeInfo), null, action, Start);
                break;
            default:
                state.Begin("action", action.DisplayName ?? action.Id, null, null, action, Start);
                break;
        }
    }

    private static void BeginPage(ViewsState state, IRazorPage page, ViewContext viewContext)
    {
        var path = page.Path;
        var parent = state.Innermost;
        string kind;
        if (path.EndsWith("/_ViewStart.cshtml", StringComparison.OrdinalIgnoreCase))
        {
            kind = "viewstart";
        }
        else if (page.BodyContent is not null)
        {
            // Razor hands a layout the body it wraps before rendering it.
            kind = "layout";
        }
        else if (path.Contains("/Components/", StringComparison.OrdinalIgnoreCase))
        {
            // A view component's view (Views/Shared/Components/{Name}/Default.cshtml); it renders after the component returned.
            kind = "viewComponentView";
        }
        else if (parent is { Kind: "view" or "layout" or "partial" or "viewComponentView" })
        {
            kind = "partial";
        }
        else
        {
            kind = "view";
        }

        state.Begin(kind, System.IO.Path.GetFileNameWithoutExtension(path), path, ModelTypeOf(viewContext.ViewData), page, Start);
    }

    private static ViewRecord? End(ViewsState state, object key)
    {
        var record = state.End(key);
        if (record?.Activity is { } activity)
        {
            SetActivityEnd(record);
            activity.Stop();
        }

        return record;
    }

    // A span's start and end are the step's own clock readings, converted: read again later (after the lock, or under
    // a busy machine's preemption) they would make the timing panel's span differ from the views panel's step.
    private static Activity? Start(string kind, string name, DateTime startUtc) =>
        s_source.HasListeners() ? s_source.StartActivity(kind + " " + name, ActivityKind.Internal, parentContext: default, startTime: startUtc) : null;

    /// <summary>
    /// Creates the span of a Razor component, a child of its parent's span, from <paramref name="startUtc"/>. The
    /// renderer reports starts only, so the span is stopped at once (leaving <see cref="Activity.Current"/> as it
    /// was: it never covers the app's code) and <see cref="SetActivityEnd"/> moves its end as its steps end.
    /// </summary>
    public static Activity? StartComponentActivity(ViewRecord? parent, string kind, string name, DateTime startUtc)
    {
        if (!s_source.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;
        var parentContext = parent?.Activity?.Context ?? previous?.Context ?? default;
        var activity = s_source.StartActivity(ActivityKind.Internal, parentContext, startTime: startUtc, name: kind + " " + name);
        if (activity is not null)
        {
            activity.SetEndTime(startUtc);
            activity.Stop();
            activity.SetEndTime(startUtc);
        }

        Activity.Current = previous;
        return activity;
    }

    /// <summary>Moves the end of a step's span to the step's end: the span lasts exactly as long as the step.</summary>
    public static void SetActivityEnd(ViewRecord record)
    {
        if (record is { Activity: { } activity, EndTimestamp: { } end })
        {
            activity.SetEndTime(activity.StartTimeUtc + Stopwatch.GetElapsedTime(record.StartTimestamp, end));
        }
    }

    private static string? ModelTypeOf(ViewDataDictionary viewData)
    {
        var declared = viewData.ModelMetadata?.ModelType;
        if (declared is not null && declared != typeof(object))
        {
            return TypeName(declared);
        }

        return TypeName(viewData.Model?.GetType());
    }

    internal static string? TypeName(Type? type)
    {
        if (type is null)
        {
            return null;
        }

        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        var arguments = string.Join(", ", type.GetGenericArguments().Select(TypeName));
        return (type.Namespace is null ? "" : type.Namespace + ".") + (tick > 0 ? name[..tick] : name) + "<" + arguments + ">";
    }
}
