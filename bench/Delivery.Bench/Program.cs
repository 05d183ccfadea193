using System.Runtime.InteropServices;
using Delivery.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
// Never leave a server behind: bench/run sends SIGTERM when it is interrupted.
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => ServerProcess.KillAll());
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => ServerProcess.KillAll());
AppDomain.CurrentDomain.ProcessExit += (_, _) => ServerProcess.KillAll();
return await new Runner(options).RunAsync();
