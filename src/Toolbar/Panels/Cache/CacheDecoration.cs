using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Internal;

namespace Toolbar.Panels.Cache;

/// <summary>
/// Wraps the app's cache registrations (<see cref="IMemoryCache"/>, <see cref="IDistributedCache"/>,
/// <see cref="HybridCache"/>, <see cref="IOutputCacheStore"/>) in the cache panel's instrumented decorators, keeping
/// each registration's lifetime. Runs when the toolbar is added and again when the host builds its services
/// (<see cref="HostBuildingHook"/>), so caches the app registers after <c>AddDebugToolbar()</c> are wrapped too.
/// Idempotent: a registration is wrapped once.
/// </summary>
internal static class CacheDecoration
{
    // One delegate instance, so the hook registers it once however many apps add the toolbar.
    private static readonly Action<IServiceCollection> s_decorateAtHostBuild = static services =>
    {
        if (IsToolbarCollection(services))
        {
            Decorate(services);
        }
    };

    /// <summary>Registers the collector and wraps what is registered now; later registrations are wrapped at host build.</summary>
    public static void AddTo(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CacheCollector)))
        {
            Decorate(services);
            return;
        }

        services.AddSingleton<CacheCollector>();
        Decorate(services);
        HostBuildingHook.Register(s_decorateAtHostBuild);
    }

    /// <summary>Whether the toolbar's cache collector is registered in <paramref name="services"/>.</summary>
    public static bool IsToolbarCollection(IServiceCollection services) => services.Any(d => d.ServiceType == typeof(CacheCollector));

    /// <summary>Wraps every not yet wrapped cache registration in <paramref name="services"/>.</summary>
    public static void Decorate(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.IsKeyedService || descriptor.ImplementationFactory?.Target is Decorator)
            {
                continue;
            }

            (string Backend, Func<object, CacheCollector, bool, object> Wrap)? wrap = descriptor.ServiceType switch
            {
                var t when t == typeof(IMemoryCache) => (InstrumentedMemoryCache.Backend, static (inner, c, owns) => new InstrumentedMemoryCache((IMemoryCache)inner, c, owns)),
                var t when t == typeof(IDistributedCache) => (InstrumentedDistributedCache.Backend, static (inner, c, owns) => InstrumentedDistributedCache.Create((IDistributedCache)inner, c, owns)),
                var t when t == typeof(HybridCache) => (InstrumentedHybridCache.Backend, static (inner, c, owns) => new InstrumentedHybridCache((HybridCache)inner, c, owns)),
                var t when t == typeof(IOutputCacheStore) => (InstrumentedOutputCacheStore.Backend, static (inner, c, owns) => InstrumentedOutputCacheStore.Create((IOutputCacheStore)inner, c, owns)),
                _ => null,
            };
            if (wrap is { } found)
            {
                var decorator = new Decorator(descriptor, found.Backend, found.Wrap);
                services[i] = ServiceDescriptor.Describe(descriptor.ServiceType, decorator.Create, descriptor.Lifetime);
            }
        }
    }

    /// <summary>Creates the app's service as its registration said, then wraps it. Its type marks a wrapped registration.</summary>
    private sealed class Decorator(ServiceDescriptor original, string backend, Func<object, CacheCollector, bool, object> wrap)
    {
        public object Create(IServiceProvider services)
        {
            object inner;
            var owns = true;

            // Cache calls a cache makes while it is built (HybridCache reads its tag state) are its own, not the app's.
            using var via = CacheCollector.EnterVia(backend);
            if (original.ImplementationInstance is { } instance)
            {
                // The container never disposed an instance the app handed it; neither do we.
                inner = instance;
                owns = false;
            }
            else if (original.ImplementationFactory is { } factory)
            {
                inner = factory(services);
            }
            else
            {
                // As the container would: the longest constructor whose parameters it can supply.
                inner = ActivatorUtilities.CreateInstance(services, original.ImplementationType!);
            }

            if (inner is IInstrumentedCache)
            {
                return inner;
            }

            var collector = services.GetService<CacheCollector>();
            return collector is null ? inner : wrap(inner, collector, owns);
        }
    }
}
