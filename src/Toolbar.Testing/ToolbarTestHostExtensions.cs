using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Testing;

/// <summary>Makes a test host's toolbar record every request, for budgets in integration tests.</summary>
public static class ToolbarTestHostExtensions
{
    /// <summary>
    /// Records every request of this host with the toolbar, whatever the environment and client address (a
    /// <c>TestServer</c> has no client address, and tests often run outside Development): use it in a
    /// <c>WebApplicationFactory</c>'s <c>WithWebHostBuilder</c> or <c>ConfigureWebHost</c>. The app must call
    /// <c>AddDebugToolbar()</c> and <c>UseDebugToolbar()</c> as usual. The Host rule still applies: the test client's
    /// <c>localhost</c> passes it. Never use this outside tests.
    /// </summary>
    /// <param name="builder">The test host's builder.</param>
    /// <returns>The same builder.</returns>
    public static IWebHostBuilder UseDebugToolbarRecording(this IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Toolbar:Enabled", "true");
        return builder.ConfigureServices(services => services.PostConfigure<ToolbarOptions>(o =>
        {
            o.Enabled = true;
            o.ShowToolbar = static _ => true;
        }));
    }
}
