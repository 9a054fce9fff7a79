using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>
/// Where the toolbar can track requests, IHttpContextAccessor keeps the context in the toolbar's own async local
/// (one local fewer per request): it must behave exactly like the framework's accessor.
/// </summary>
public class HttpContextAccessorTests
{
    [Fact]
    public async Task In_Development_the_accessor_gives_the_request_and_forgets_it_for_flows_that_outlive_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? outliving = null;
        HttpContext? inRequest = null, requestContext = null, afterRequest = null;
        RequestRecord? recordInRequest = null, recordAfter = null;
        IHttpContextAccessor? accessor = null;
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            requestContext = ctx;
            accessor = ctx.RequestServices.GetRequiredService<IHttpContextAccessor>();
            inRequest = accessor.HttpContext;
            recordInRequest = RequestRecord.Current;
            outliving = Task.Run(async () =>
            {
                await release.Task;
                var until = DateTime.UtcNow.AddSeconds(10);
                while (accessor.HttpContext is not null && DateTime.UtcNow < until)
                {
                    await Task.Delay(10);
                }

                afterRequest = accessor.HttpContext;
                recordAfter = RequestRecord.Current;
            });
            await ctx.Response.WriteAsync("ok");
        }, services: s => s.AddHttpContextAccessor());

        using var response = await app.Client.GetAsync("/");
        release.SetResult();
        await outliving!;

        Assert.IsNotType<HttpContextAccessor>(accessor);
        Assert.Same(requestContext, inRequest);
        Assert.Equal(response.Headers.GetValues("X-Toolbar-Id").Single(), recordInRequest!.Id);
        Assert.Null(afterRequest);
        // The record stays ambient for work the request started (its late events still belong to it).
        Assert.Same(recordInRequest, recordAfter);
    }

    [Fact]
    public async Task Outside_a_request_and_on_a_new_flow_the_accessor_is_empty()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), services: s => s.AddHttpContextAccessor());
        var accessor = app.Services.GetRequiredService<IHttpContextAccessor>();
        var context = new DefaultHttpContext();

        Assert.Null(accessor.HttpContext);
        await Task.Run(() =>
        {
            accessor.HttpContext = context;
            Assert.Same(context, accessor.HttpContext);
            accessor.HttpContext = null;
            Assert.Null(accessor.HttpContext);
        });
        Assert.Null(accessor.HttpContext);
    }

    [Fact]
    public async Task Where_the_toolbar_can_never_show_the_app_gets_the_framework_accessor()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), environment: "Production", services: s => s.AddHttpContextAccessor());

        Assert.IsType<HttpContextAccessor>(app.Services.GetRequiredService<IHttpContextAccessor>());
    }

    [Fact]
    public async Task The_order_of_AddHttpContextAccessor_and_AddDebugToolbar_does_not_matter()
    {
        var before = new ServiceCollection().AddHttpContextAccessor();
        before.AddDebugToolbar();
        var after = new ServiceCollection().AddDebugToolbar().AddHttpContextAccessor();

        foreach (var services in new[] { before, after })
        {
            var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IHttpContextAccessor));
            Assert.NotNull(descriptor.ImplementationFactory);
        }

        // And at run time: registered after the toolbar, still the toolbar's (MiniApp adds services after it).
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), services: s => s.AddHttpContextAccessor());
        Assert.IsNotType<HttpContextAccessor>(app.Services.GetRequiredService<IHttpContextAccessor>());
    }

    [Fact]
    public void An_accessor_of_the_app_own_is_left_alone()
    {
        var services = new ServiceCollection().AddSingleton<IHttpContextAccessor, OwnAccessor>();
        services.AddDebugToolbar();

        Assert.Equal(typeof(OwnAccessor), Assert.Single(services, d => d.ServiceType == typeof(IHttpContextAccessor)).ImplementationType);
    }

    private sealed class OwnAccessor : IHttpContextAccessor
    {
        public HttpContext? HttpContext { get; set; }
    }
}
