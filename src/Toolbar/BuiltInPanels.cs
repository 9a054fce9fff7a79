using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Toolbar.Panels.Cache;
using Toolbar.Panels.Config;
using Toolbar.Panels.Cpu;
using Toolbar.Panels.Exceptions;
using Toolbar.Panels.History;
using Toolbar.Panels.Logs;
using Toolbar.Panels.Memory;
using Toolbar.Panels.Middleware;
using Toolbar.Panels.Request;
using Toolbar.Panels.Routes;
using Toolbar.Panels.Sql;
using Toolbar.Panels.Threads;
using Toolbar.Panels.Timing;
using Toolbar.Panels.Views;

namespace Toolbar;

/// <summary>
/// The panels every toolbar starts with, in toolbar order, each registered the way a third-party panel is:
/// its services on <see cref="IToolbarBuilder.Services"/>, the panel with <see cref="ToolbarBuilderExtensions.AddPanel{TPanel}"/>.
/// Also the marker service that tells <c>AddDebugToolbar()</c> they are registered.
/// </summary>
internal sealed class BuiltInPanels
{
    public static void AddTo(IToolbarBuilder builder)
    {
        var services = builder.Services;
        builder.AddPanel<TimingPanel>();
        services.AddOptions<SqlPanelOptions>().BindConfiguration("Toolbar:Sql");
        builder.AddPanel<SqlPanel>();
        // The cache panel's collector, and its wrappers around the app's caches (also those registered later).
        CacheDecoration.AddTo(services);
        builder.AddPanel<CachePanel>();
        builder.AddPanel<RoutesPanel>();
        // The views panel reads the component renderer's log events and counts tag helpers through the app's factory.
        ViewsServices.AddTo(services);
        builder.AddPanel<ViewsPanel>();
        builder.AddPanel<MemoryPanel>();
        services.AddOptions<CpuPanelOptions>().BindConfiguration("Toolbar:Cpu");
        builder.AddPanel<CpuPanel>();
        MiddlewarePanelServices.Add(services);
        builder.AddPanel<MiddlewarePanel>();
        builder.AddPanel<ThreadsPanel>();
        builder.AddPanel<RequestPanel>();
        // The logs panel's collector: one logger provider that hands records to the tracked request's panel.
        services.TryAddSingleton<LogSink>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, ToolbarLoggerProvider>());
        builder.AddPanel<LogsPanel>();
        builder.AddPanel<ExceptionsPanel>();
        builder.AddPanel<ConfigPanel>();
        builder.AddPanel<HistoryPanel>();
    }
}
