using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

public class DeveloperPageStackTests
{
    [Fact]
    public async Task The_developer_exception_page_stack_does_not_end_in_the_toolbars_rethrow()
    {
        await using var app = await MiniApp.StartAsync(_ => ThrowForStackTrace());
        using var response = await app.Client.GetAsync("/");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Contains(nameof(ThrowForStackTrace), text);
        Assert.Contains("DeveloperExceptionPageMiddlewareImpl", text);
        Assert.DoesNotContain("ToolbarApplicationBuilderExtensions", text);
    }

    private static Task ThrowForStackTrace() => throw new InvalidOperationException("thrown for its stack trace");
}
