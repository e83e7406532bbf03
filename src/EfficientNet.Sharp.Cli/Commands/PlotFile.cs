using ScottPlot;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>Writes a plot as a PNG, creating the folder it goes into.</summary>
internal static class PlotFile
{
    public static void SavePng(Plot plot, string path, int width, int height)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        plot.SavePng(path, width, height);
    }
}
