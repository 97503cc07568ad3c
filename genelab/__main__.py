from genelab.cli import main

raise SystemExit(main())
