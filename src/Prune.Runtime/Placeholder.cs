namespace Prune; internal static class Placeholder { }
