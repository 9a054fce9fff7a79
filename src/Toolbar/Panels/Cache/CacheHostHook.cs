using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Toolbar.Panels.Cache;

/// <summary>
/// Wraps the caches an app registers after <c>AddDebugToolbar()</c>. The generic host announces that it is about to
/// build its services with the <c>HostBuilding</c> event of its <c>Microsoft.Extensions.Hosting</c> diagnostic
/// listener (the hook <c>WebApplicationFactory</c> uses); the builder it passes accepts one more
/// <c>ConfigureServices</c> callback, which runs on the final service collection, after every registration of the app.
/// The callback wraps caches only in collections the toolbar was added to.
/// </summary>
internal static class CacheHostHook
{
    private const string ListenerName = "Microsoft.Extensions.Hosting";
    private const string HostBuildingEvent = "HostBuilding";

    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        }
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == ListenerName)
            {
                value.Subscribe(this, static name => name == HostBuildingEvent);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == HostBuildingEvent && value.Value is IHostBuilder builder)
            {
                builder.ConfigureServices(static (_, services) =>
                {
                    if (CacheDecoration.IsToolbarCollection(services))
                    {
                        CacheDecoration.Decorate(services);
                    }
                });
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
