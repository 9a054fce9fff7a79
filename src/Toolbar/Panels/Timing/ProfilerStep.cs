using System.Diagnostics;

namespace Toolbar;

/// <summary>
/// A running step of <see cref="Profiler.Step"/>; dispose it (with <c>using</c>) to end the step.
/// A struct, so an inactive step costs nothing.
/// </summary>
public readonly struct ProfilerStep : IDisposable, IEquatable<ProfilerStep>
{
    private readonly Activity? _activity;

    internal ProfilerStep(Activity? activity) => _activity = activity;

    /// <summary>The activity behind the step, or <c>null</c> when the step is inactive (add tags to it if you like).</summary>
    public Activity? Activity => _activity;

    /// <summary>Ends the step.</summary>
    public void Dispose() => _activity?.Dispose();

    /// <inheritdoc />
    public bool Equals(ProfilerStep other) => ReferenceEquals(_activity, other._activity);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ProfilerStep other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _activity?.GetHashCode() ?? 0;

    /// <summary>Whether two steps are the same.</summary>
    public static bool operator ==(ProfilerStep left, ProfilerStep right) => left.Equals(right);

    /// <summary>Whether two steps differ.</summary>
    public static bool operator !=(ProfilerStep left, ProfilerStep right) => !left.Equals(right);
}
