namespace Toolbar.Panels;

/// <summary>One figure of two compared records side by side: <c>{a, b, delta}</c>, delta being b − a.</summary>
/// <param name="A">The first ("before") record's figure.</param>
/// <param name="B">The second ("after") record's figure.</param>
/// <param name="Delta">B − A.</param>
internal sealed record CompareFigure(double A, double B, double Delta)
{
    // The delta of the rounded figures, so a reader's own b − a agrees with it.
    public static CompareFigure Of(double a, double b)
    {
        a = Math.Round(a, 3);
        b = Math.Round(b, 3);
        return new(a, b, Math.Round(b - a, 3));
    }
}
