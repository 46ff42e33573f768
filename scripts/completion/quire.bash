# bash completion for quire: its commands, the actions of `quire collection`, and each command's
# options as `quire COMMAND --help` lists them (so the options never fall out of step with the program).
# Installed by `cmake --install` as PREFIX/share/bash-completion/completions/quire.

_quire_options() {
  # The option table of `quire CMD [ACTION] --help`: lines "  --name ..." or "  -n [ --name ] ...".
  "$1" "${@:2}" --help 2>/dev/null | sed -nE 's/^  (-[A-Za-z] \[ )?(--[a-z0-9][a-z0-9-]*).*/\2/p'
}

_quire() {
  local cur prev program command
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  program="${COMP_WORDS[0]}"
  local commands="index search similar facets info batch eval import collection serve convert tag help"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "$commands --version --help" -- "$cur"))
    return
  fi
  command="${COMP_WORDS[1]}"
  case "$prev" in
    --db|--schemas|--metadata|--output|-o|--timings|--queries|--qrels|--documents)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    --format)
      if [[ $command == batch ]]; then
        COMPREPLY=($(compgen -W "jsonl trec tsv" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "ris bibtex csl-json csv jsonl" -- "$cur"))
      fi
      return ;;
    --sort) COMPREPLY=($(compgen -W "relevance date -date" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --facet-order) COMPREPLY=($(compgen -W "count value" -- "$cur")); return ;;
    --weighting) COMPREPLY=($(compgen -W "bm25 bm25+ lm dlh dph pl2 inl2" -- "$cur")); return ;;
    --facets) COMPREPLY=($(compgen -W "actor theme published mentions speaker publisher dyad by" -- "$cur")); return ;;
  esac
  if [[ $command == help && $COMP_CWORD -eq 2 ]]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    return
  fi
  if [[ $command == import && $COMP_CWORD -eq 2 && $cur != -* ]]; then
    COMPREPLY=($(compgen -W "beir cisi cran med cacm adi npl lisa" -- "$cur"))
    return
  fi
  if [[ $command == collection && $COMP_CWORD -eq 2 && $cur != -* ]]; then
    COMPREPLY=($(compgen -W "new add exclude list show refresh export delete" -- "$cur"))
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_quire_options "$program" "$command")" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _quire quire
