using HamachiCloud.Agent.Commands;

return CommandLine.Run(args, Console.In, Console.Out, Console.Error);
