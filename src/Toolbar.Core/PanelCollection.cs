using System.Collections;

namespace Toolbar;

/// <summary>The ordered list of panel types the toolbar shows. Registration order is toolbar order.</summary>
public sealed class PanelCollection : IEnumerable<Type>
{
    private readonly List<Type> _types = [];

    /// <summary>Adds a panel type (once; a second add of the same type is ignored).</summary>
    public PanelCollection Add<TPanel>() where TPanel : ToolbarPanel => Add(typeof(TPanel));

    /// <summary>Adds a panel type (once; a second add of the same type is ignored).</summary>
    public PanelCollection Add(Type panelType)
    {
        ArgumentNullException.ThrowIfNull(panelType);
        if (!typeof(ToolbarPanel).IsAssignableFrom(panelType) || panelType.IsAbstract)
        {
            throw new ArgumentException($"{panelType} is not a concrete {nameof(ToolbarPanel)}.", nameof(panelType));
        }

        if (!_types.Contains(panelType))
        {
            _types.Add(panelType);
        }

        return this;
    }

    /// <summary>Removes a panel type, e.g. to drop a built-in panel.</summary>
    public bool Remove<TPanel>() where TPanel : ToolbarPanel => _types.Remove(typeof(TPanel));

    /// <summary>Number of registered panel types.</summary>
    public int Count => _types.Count;

    /// <inheritdoc />
    public IEnumerator<Type> GetEnumerator() => _types.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
