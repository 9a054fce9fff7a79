using Toolbar.Panels.Cpu;

namespace Toolbar.Tests.Panels.Cpu;

/// <summary>Which samples belong to the request: thread and time inside one of its intervals; and the query trigger.</summary>
public class AttributionTests
{
    private static readonly ThreadInterval[] s_intervals =
    [
        new(1, 100, 200),
        new(1, 300, 400),
        new(7, 150, 350),
    ];

    [Theory]
    [InlineData(1UL, 100, true)]
    [InlineData(1UL, 200, true)]
    [InlineData(1UL, 250, false)]
    [InlineData(1UL, 399, true)]
    [InlineData(1UL, 401, false)]
    [InlineData(7UL, 250, true)]
    [InlineData(7UL, 100, false)]
    [InlineData(3UL, 150, false)]
    [InlineData(9UL, 160, false)]
    public void A_sample_counts_only_inside_an_interval_of_its_own_thread(ulong thread, long time, bool expected) =>
        Assert.Equal(expected, RequestThreadIntervals.Contains(s_intervals, thread, time));

    [Theory]
    [InlineData("?_toolbar_profile=cpu", "", true)]
    [InlineData("?a=1&_toolbar_profile=cpu&b=2", "?a=1&b=2", true)]
    [InlineData("?_toolbar_profile=CPU&q=%3Cscript%3E", "?q=%3Cscript%3E", true)]
    [InlineData("?_toolbar_profile=other&a=1", "?a=1", false)]
    [InlineData("?%5Ftoolbar%5Fprofile=cpu", "", true)]
    [InlineData("?toolbar_profile=cpu", "?toolbar_profile=cpu", false)]
    [InlineData("?a=%ZZ&_toolbar_profile=cpu", "?a=%ZZ", true)]
    public void The_query_parameter_is_removed_and_the_rest_kept_as_sent(string query, string expected, bool asked)
    {
        Assert.Equal(expected, ProfileRequest.Without(query, out var askedForCpu));
        Assert.Equal(asked, askedForCpu);
    }
}
