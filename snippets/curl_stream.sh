#!/usr/bin/env bash
# Stream a response with curl and print the raw Server-Sent Events.
curl https://api.anthropic.com/v1/messages \
  --no-buffer \
  --silent \
  --show-error \
  --fail-with-body \
  --header "x-api-key: $ANTHROPIC_API_KEY" \
  --header "anthropic-version: 2026-10-21" \
  --header "content-type: application/json" \
  --data '{
    "model": "claude-sonnet-5-5",
    "max_tokens": 256,
    "stream": true,
    "messages": [
      {"role": "user",
       "content": "Explain quantum computing in one sentence."}
    ]
  }'
