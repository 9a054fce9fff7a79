using System.Text;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>
/// For random documents cut into random writes (with random flushes), the output is the input with the
/// snippet before the last &lt;/body&gt;, byte for byte; non-injectable responses are byte-identical.
/// </summary>
public class InjectionPropertyTests
{
    private static readonly string[] Pieces =
    [
        "<p>text</p>", "</body>", "</BODY>", "</Body>", "<", "</", "</b", "</bo", "</bod", "</body", "body>", ">", "<body>",
        "\n", "<script>var a = '</body>';</script>", "caf\u00e9 ", "\u6f22\u5b57", "<!-- </body> -->", "</html>", "x",
        "</bodyx>", "<</body>", "</ body>",
    ];

    private static byte[] RandomDocument(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(0, 40);
        for (var i = 0; i < count; i++)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
            if (random.Next(10) == 0)
            {
                // Sometimes a long run, so writes cross the hold-back bound.
                builder.Append('y', random.Next(1, 70_000));
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static byte[] Expected(byte[] input, byte[] snippet)
    {
        var text = Encoding.Latin1.GetString(input);
        var index = text.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        if (index < 0 || input.Length - index > 64 * 1024)
        {
            return input;
        }

        return [.. input.AsSpan(0, index), .. snippet, .. input.AsSpan(index)];
    }

    private static string Snippet(string id) =>
        $"<div id=\"toolbar-root\" data-toolbar-id=\"{id}\" data-toolbar-prefix=\"/_toolbar\"></div>"
        + "<script src=\"/_toolbar/assets/toolbar.js\" data-toolbar-prefix=\"/_toolbar\" defer></script>";

    [Theory]
    [InlineData("text/html; charset=utf-8", true)]
    [InlineData("application/json", false)]
    [InlineData("text/plain", false)]
    public async Task Random_documents_in_random_chunks_are_exact(string contentType, bool injectable)
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            var random = new Random(int.Parse(ctx.Request.Query["seed"]!));
            var document = RandomDocument(random);
            ctx.Response.ContentType = contentType;
            var offset = 0;
            while (offset < document.Length)
            {
                var size = Math.Min(document.Length - offset, random.Next(3) == 0 ? random.Next(1, 8) : random.Next(1, 20_000));
                if (random.Next(2) == 0)
                {
                    await ctx.Response.Body.WriteAsync(document.AsMemory(offset, size));
                }
                else
                {
                    document.AsSpan(offset, size).CopyTo(ctx.Response.BodyWriter.GetSpan(size));
                    ctx.Response.BodyWriter.Advance(size);
                    if (random.Next(2) == 0)
                    {
                        await ctx.Response.BodyWriter.FlushAsync();
                    }
                }

                if (random.Next(4) == 0)
                {
                    await ctx.Response.Body.FlushAsync();
                }

                offset += size;
            }
        });

        for (var seed = 1; seed <= 150; seed++)
        {
            var response = await app.Client.GetAsync($"/?seed={seed}");
            var actual = await response.Content.ReadAsByteArrayAsync();
            var input = RandomDocument(new Random(seed));
            var id = response.Headers.GetValues("X-Toolbar-Id").Single();
            var expected = injectable ? Expected(input, Encoding.UTF8.GetBytes(Snippet(id))) : input;
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"seed {seed}: {expected.Length} bytes expected, {actual.Length} received");
        }
    }
}
