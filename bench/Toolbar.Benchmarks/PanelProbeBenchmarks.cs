using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Toolbar.Panels.Middleware;
using Toolbar.Panels.Threads;

namespace Toolbar.Benchmarks;

/// <summary>
/// The middleware and threads panels' own costs, in-process: a pipeline of 8 pass-through middleware built plainly
/// and through the middleware panel's probing builder (request not tracked, and tracked), and 100 awaits without and with
/// the threads panel's wait sessions listening, with and without task-wait timing (with it, every task event of the
/// process goes to an EventPipe session).
/// </summary>
[MemoryDiagnoser]
public class PanelProbeBenchmarks
{
    private const int Middleware = 8;
    private RequestDelegate _plain = null!;
    private RequestDelegate _probedUntracked = null!;
    private RequestDelegate _probedTracked = null!;
    private WaitSession? _session;
    private PoolSession? _pool;
    private TaskWaitSession? _tasks;
    private ServiceProvider? _untrackedServices;
    private ServiceProvider? _trackedServices;

    [GlobalSetup]
    public void Setup()
    {
        _plain = Build(new ApplicationBuilder(new ServiceCollection().BuildServiceProvider()));
        (_probedUntracked, _untrackedServices) = BuildProbed(tracked: false);
        (_probedTracked, _trackedServices) = BuildProbed(tracked: true);
    }

    [GlobalSetup(Target = nameof(Awaits_100_wait_session_on))]
    public void SetupSession()
    {
        Setup();
        _session = WaitSession.Start();
        _pool = PoolSession.Start();
        _tasks = TaskWaitSession.Start();
    }

    [GlobalSetup(Target = nameof(Awaits_100_wait_session_on_task_waits_off))]
    public void SetupSessionWithoutTaskWaits()
    {
        Setup();
        _session = WaitSession.Start();
        _pool = PoolSession.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session?.Dispose();
        _pool?.Dispose();
        _tasks?.Dispose();
        _untrackedServices?.Dispose();
        _trackedServices?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task Pipeline_plain() => _plain(new DefaultHttpContext());

    [Benchmark]
    public Task Pipeline_probed_request_not_tracked() => _probedUntracked(new DefaultHttpContext());

    [Benchmark]
    public Task Pipeline_probed_request_tracked() => _probedTracked(new DefaultHttpContext());

    [Benchmark]
    public async Task Awaits_100_wait_session_off()
    {
        for (var i = 0; i < 100; i++)
        {
            await Task.Yield();
        }
    }

    [Benchmark]
    public async Task Awaits_100_wait_session_on_task_waits_off()
    {
        for (var i = 0; i < 100; i++)
        {
            await Task.Yield();
        }
    }

    [Benchmark]
    public async Task Awaits_100_wait_session_on()
    {
        for (var i = 0; i < 100; i++)
        {
            await Task.Yield();
        }
    }

    private static RequestDelegate Build(IApplicationBuilder app)
    {
        for (var i = 0; i < Middleware; i++)
        {
            app.Use(next => context => next(context));
        }

        return app.Build();
    }

    private static (RequestDelegate, ServiceProvider) BuildProbed(bool tracked)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Development" });
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddDebugToolbar(o => o.ShowToolbar = _ => tracked);
        var provider = services.BuildServiceProvider();
        var inner = new ApplicationBuilder(provider);
        var probing = new ProbingApplicationBuilder(inner, provider.GetRequiredService<MiddlewarePipeline>(), provider.GetRequiredService<ToolbarTracking>(), () => true);
        Build(probing);
        return (inner.Build(), provider);
    }
}
