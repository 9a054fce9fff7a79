using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>The snippet goes before a real end-body tag only: never into a script string, a comment, a textarea, a title or an attribute.</summary>
public class InjectionPointTests
{
    private const string Marker = "<div id=\"toolbar-root\"";

    private static async Task<string> ServeAsync(string page, int chunk = int.MaxValue)
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            var bytes = System.Text.Encoding.UTF8.GetBytes(page);
            for (var i = 0; i < bytes.Length; i += Math.Min(chunk, bytes.Length))
            {
                await ctx.Response.Body.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
                await ctx.Response.Body.FlushAsync();
            }
        });
        return await app.Client.GetStringAsync("/");
    }

    private static string Before(string body) => body[..body.IndexOf(Marker, StringComparison.Ordinal)];

    private static string After(string body) => body[body.IndexOf("</script>", body.IndexOf(Marker, StringComparison.Ordinal), StringComparison.Ordinal)..];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    public async Task End_body_in_a_script_string_with_no_real_one_appends_at_the_end(int chunk)
    {
        const string page = "<!DOCTYPE html><html><body><p>x</p><script>var s = \"</body>\"; var t = '</BODY >';</script>";
        var body = await ServeAsync(page, chunk);
        Assert.Equal(page, Before(body));
        Assert.Equal(1, CountOf(body, Marker));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public async Task End_body_in_a_trailing_comment_does_not_hide_the_toolbar(int chunk)
    {
        const string page = "<html><body><p>x</p></body></html><!-- old layout: </body> -->";
        var body = await ServeAsync(page, chunk);
        Assert.Equal("<html><body><p>x</p>", Before(body));
        Assert.EndsWith("</body></html><!-- old layout: </body> -->", body);
    }

    [Theory]
    [InlineData("</BoDy >")]
    [InlineData("</body\n>")]
    [InlineData("</body\t class=x>")]
    [InlineData("</body/>")]
    public async Task End_body_tag_is_case_and_whitespace_tolerant(string tag)
    {
        var page = "<html><body>x" + tag + "</html>";
        var body = await ServeAsync(page, 2);
        Assert.Equal("<html><body>x", Before(body));
        Assert.EndsWith(tag + "</html>", body);
    }

    [Theory]
    [InlineData("<style>p::after { content: '</body>' }</style>")]
    [InlineData("<textarea>type </body> here</textarea>")]
    [InlineData("<title>about </body></title>")]
    [InlineData("<div data-html=\"</body>\" title='</body>'></div>")]
    [InlineData("<script type=module>if (a </body/.test(b)) {}</script>")]
    [InlineData("<!-- </body> -->")]
    public async Task End_body_inside_raw_text_comments_or_attributes_is_not_the_end(string inner)
    {
        var page = "<html><body>" + inner + "<p>after</p></body></html>";
        foreach (var chunk in new[] { 1, 5, int.MaxValue })
        {
            var body = await ServeAsync(page, chunk);
            Assert.Equal("<html><body>" + inner + "<p>after</p>", Before(body));
        }
    }

    [Fact]
    public async Task Fragment_without_a_real_end_body_is_unchanged()
    {
        const string fragment = "<p>row</p><script>var s = '</body>';</script>";
        Assert.Equal(fragment, await ServeAsync(fragment, 4));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
