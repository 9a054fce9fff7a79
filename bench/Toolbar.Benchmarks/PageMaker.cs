using System.Text;

namespace Toolbar.Benchmarks;

/// <summary>HTML pages of a given size, written the way MVC/Razor write them (16 KB chunks).</summary>
public static class PageMaker
{
    public static byte[] Html(int bytes)
    {
        var builder = new StringBuilder("<!DOCTYPE html><html><head><title>bench</title></head><body>\n", bytes + 64);
        while (builder.Length < bytes - 20)
        {
            builder.Append("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n");
        }

        builder.Append("</body></html>\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static async Task WriteInChunksAsync(Stream stream, byte[] page, int chunk = 16 * 1024)
    {
        for (var offset = 0; offset < page.Length; offset += chunk)
        {
            await stream.WriteAsync(page.AsMemory(offset, Math.Min(chunk, page.Length - offset)));
        }
    }
}
