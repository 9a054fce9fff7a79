using Microsoft.Extensions.Options;

namespace Toolbar;

/// <summary>
/// Decides which names (headers, cookies, form fields, configuration keys, SQL parameters) hold
/// secrets, from <see cref="ToolbarOptions.SecretNames"/>. Panels mask such values before storing
/// them, so a secret never reaches the JSON API or the panel HTML.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a masked value is replaced with.</summary>
    public const string Mask = "********";

    private readonly string[] _parts;

    /// <summary>Creates a masker from the configured secret names.</summary>
    public SecretMasker(IOptions<ToolbarOptions> options)
        : this(options.Value.SecretNames)
    {
    }

    /// <summary>Creates a masker from a list of name parts.</summary>
    public SecretMasker(IEnumerable<string> secretNameParts)
    {
        ArgumentNullException.ThrowIfNull(secretNameParts);
        _parts = secretNameParts.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>Whether a value under this name is a secret.</summary>
    public bool IsSecret(string name)
    {
        foreach (var part in _parts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value to show for <paramref name="name"/>: <see cref="Mask"/> when it is a secret.</summary>
    public string? Apply(string name, string? value) => value is null ? null : IsSecret(name) ? Mask : value;
}
