using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>A panel the toolbar creates itself is disposed with the app (it may hold sessions, timers or subscriptions).</summary>
public class PanelLifetimeTests
{
    [Fact]
    public async Task A_disposable_panel_the_toolbar_created_is_disposed_when_the_app_stops()
    {
        DisposablePanel.Instances.Clear();
        var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), o => o.Panels.Add<DisposablePanel>());
        using (var response = await app.Client.GetAsync("/"))
        {
            response.EnsureSuccessStatusCode();
        }

        var panel = Assert.Single(DisposablePanel.Instances);
        Assert.Equal(0, panel.Disposed);

        await app.DisposeAsync();

        Assert.Equal(1, panel.Disposed);
    }

    [Fact]
    public async Task A_panel_the_app_registered_itself_is_left_to_the_container()
    {
        var panel = new DisposablePanel();
        var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), o => o.Panels.Add<DisposablePanel>(), services: s => s.AddSingleton(panel));

        await app.DisposeAsync();

        // Registered as an instance: neither the container nor the toolbar owns it.
        Assert.Equal(0, panel.Disposed);
    }

    public sealed class DisposablePanel : ToolbarPanel<DisposablePanel.Data>, IDisposable
    {
        public static readonly List<DisposablePanel> Instances = [];

        public DisposablePanel()
        {
            lock (Instances)
            {
                Instances.Add(this);
            }
        }

        public int Disposed { get; private set; }

        public override string Id => "disposable";

        public override string Title => "Disposable";

        public void Dispose() => Disposed++;

        public sealed class Data
        {
        }
    }
}
