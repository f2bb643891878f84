from reqkit.cli.main import main

raise SystemExit(main())
