"""Structured output from any chat model: JSON validated by pydantic, with a bounded repair.

Provider-native structured output differs per provider and does not exist for small local models,
so the schema is stated in the prompt, the reply's JSON object is parsed and validated, and a reply
that fails gets `retries` more chances with the validation error shown to the model. After that a
`StructuredOutputError` says what was wrong; a caller then takes its extractive path.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ValidationError

from agent.llm.errors import StructuredOutputError
from agent.llm.prompts import PromptBook

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

T = TypeVar("T", bound=BaseModel)
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def structured(model: BaseChatModel, schema: type[T], messages: list[BaseMessage] | str,
               retries: int = 1, prompts: PromptBook | None = None) -> T:
    """Ask `model` for an instance of `schema`; repair an invalid reply at most `retries` times."""
    from langchain_core.messages import AIMessage, HumanMessage

    prompts = prompts or PromptBook()
    history: list[BaseMessage] = [HumanMessage(messages)] if isinstance(messages, str) else list(messages)
    schema_text = json.dumps(schema.model_json_schema(), ensure_ascii=False)
    history = _with_format(history, prompts.render("structured_format", schema=schema_text))
    problem = ""
    for _ in range(retries + 1):
        reply = model.invoke(history)
        text = str(reply.text)
        try:
            return schema.model_validate(json.loads(extract_json(text)))
        except (ValueError, ValidationError) as error:  # JSONDecodeError is a ValueError
            problem = _describe(error)
        history = history + [AIMessage(text)] + prompts.render("structured_repair", error=problem)
    raise StructuredOutputError(f"{getattr(model, 'model_name', 'the model')} gave no valid "
                                f"{schema.__name__} after {retries + 1} tries: {problem}")


def extract_json(text: str) -> str:
    """The JSON object in a reply: inside a code fence, or from the first `{` to its match."""
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object in the reply")
    depth, in_string, escaped = 0, False, False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start:index + 1]
    raise ValueError("the JSON object in the reply is not closed")


def _with_format(history: list[BaseMessage], instruction: list[BaseMessage]) -> list[BaseMessage]:
    """Append the format instruction to the last human message (some APIs refuse two in a row)."""
    from langchain_core.messages import HumanMessage

    note = "\n\n" + str(instruction[-1].text)
    for index in range(len(history) - 1, -1, -1):
        if isinstance(history[index], HumanMessage):
            merged = HumanMessage(str(history[index].text) + note)
            return history[:index] + [merged] + history[index + 1:]
    return history + instruction


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'object'}: {e['msg']}"
                         for e in error.errors()[:5])
    return str(error).splitlines()[0]
