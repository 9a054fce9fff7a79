using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Toolbar.Panels.Routes;

namespace Toolbar.Tests.Panels.Routes;

public class RouteMapRefreshTests
{
    /// <summary>A data source that hands out one list until an endpoint is added, then signals a change.</summary>
    private sealed class MutableDataSource : EndpointDataSource
    {
        private IReadOnlyList<Endpoint> _endpoints = [];
        private CancellationTokenSource _changed = new();

        public override IReadOnlyList<Endpoint> Endpoints => _endpoints;

        public override IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

        public void Add(string pattern)
        {
            _endpoints = [.. _endpoints, new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, EndpointMetadataCollection.Empty, pattern)];
            var old = _changed;
            _changed = new CancellationTokenSource();
            old.Cancel();
        }
    }

    private static (MutableDataSource Source, RouteMap Map, RouteTester Tester) Create()
    {
        var source = new MutableDataSource();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddRouting()
            .AddSingleton(new DiagnosticListener("test"))
            .AddSingleton<EndpointDataSource>(source)
            .BuildServiceProvider();
        var map = new RouteMap(services);
        return (source, map, new RouteTester(services, map));
    }

    [Fact]
    public void Map_is_reused_until_the_endpoints_change()
    {
        var (source, map, _) = Create();
        source.Add("/a");
        var first = map.Current;
        Assert.Same(first, map.Current);
        source.Add("/b/{id:int}");
        var second = map.Current;
        Assert.NotSame(first, second);
        Assert.Equal(["/a", "/b/{id:int}"], second.Infos.Select(i => i.Pattern).ToArray());
    }

    [Fact]
    public async Task Tester_sees_an_endpoint_added_after_its_first_use()
    {
        var (source, _, tester) = Create();
        source.Add("/a");
        Assert.Null((await tester.TestAsync("GET", "/late/5", "localhost", null)).Matched);
        source.Add("/late/{id:int}");
        var answer = await tester.TestAsync("GET", "/late/5", "localhost", null);
        Assert.Equal("/late/{id:int}", answer.Matched?.Pattern);
        Assert.Equal("5", answer.Matched?.RouteValues["id"]);
    }
}
