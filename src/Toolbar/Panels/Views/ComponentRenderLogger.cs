using Microsoft.Extensions.Logging;

namespace Toolbar.Panels.Views;

/// <summary>Turns the renderer's debug events into component entries of the tracked request's views state.</summary>
internal sealed class ComponentRenderLogger : ILogger
{
    // Event ids of Microsoft.AspNetCore.Components.RenderTree.Renderer's log messages (stable since .NET Core 3.0).
    private const int InitializingChildComponent = 1;
    private const int InitializingRootComponent = 2;
    private const int RenderingComponent = 3;

    private static readonly System.Reflection.Assembly[] s_toolbarAssemblies = [typeof(ToolbarPanel).Assembly, typeof(ComponentRenderLogger).Assembly];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug && ViewsObserver.CurrentState is not null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            if (eventId.Id is not (InitializingChildComponent or InitializingRootComponent or RenderingComponent)
                || state is not IReadOnlyList<KeyValuePair<string, object?>> values
                || ViewsObserver.CurrentState is not { } views
                || Find(values, "ComponentId") is not int componentId)
            {
                return;
            }

            switch (eventId.Id)
            {
                case RenderingComponent when eventId.Name == "RenderingComponent":
                    views.ComponentRendering(componentId);
                    break;
                case InitializingRootComponent when eventId.Name == "InitializingRootComponent" && Find(values, "ComponentType") is Type type:
                    if (!IsToolbarOwn(type))
                    {
                        views.ComponentInitialized(componentId, type, null, ViewsObserver.StartComponentActivity);
                    }

                    break;
                case InitializingChildComponent when eventId.Name == "InitializingChildComponent" && Find(values, "ComponentType") is Type type && Find(values, "ParentComponentId") is int parentId:
                    views.ComponentInitialized(componentId, type, parentId, ViewsObserver.StartComponentActivity);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A collector must never fail the app's rendering.
        }
    }

    // The toolbar renders its own panels with HtmlRenderer; they are not the app's views.
    private static bool IsToolbarOwn(Type type) => Array.IndexOf(s_toolbarAssemblies, type.Assembly) >= 0;

    private static object? Find(IReadOnlyList<KeyValuePair<string, object?>> values, string key)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return values[i].Value;
            }
        }

        return null;
    }
}
