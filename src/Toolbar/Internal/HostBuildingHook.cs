using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Toolbar.Internal;

/// <summary>
/// Lets panels wrap services an app registers after <c>AddDebugToolbar()</c>. The generic host announces that it is
/// about to build its services with the <c>HostBuilding</c> event of its <c>Microsoft.Extensions.Hosting</c>
/// diagnostic listener (the hook <c>WebApplicationFactory</c> uses); the builder it passes accepts one more
/// <c>ConfigureServices</c> callback, which runs on the final service collection, after every registration of the app.
/// Each callback decides itself whether the collection is one the toolbar was added to.
/// </summary>
internal static class HostBuildingHook
{
    private const string ListenerName = "Microsoft.Extensions.Hosting";
    private const string HostBuildingEvent = "HostBuilding";

    private static readonly Lock s_lock = new();
    private static readonly List<Action<IServiceCollection>> s_callbacks = [];
    private static bool s_subscribed;

    /// <summary>Runs <paramref name="callback"/> on the services of every host built from now on (once per callback).</summary>
    public static void Register(Action<IServiceCollection> callback)
    {
        lock (s_lock)
        {
            if (s_callbacks.Contains(callback))
            {
                return;
            }

            s_callbacks.Add(callback);
            if (!s_subscribed)
            {
                s_subscribed = true;
                DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
            }
        }
    }

    private static Action<IServiceCollection>[] Callbacks()
    {
        lock (s_lock)
        {
            return [.. s_callbacks];
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
                    foreach (var callback in Callbacks())
                    {
                        callback(services);
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
