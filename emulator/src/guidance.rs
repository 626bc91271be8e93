//! The guidance Markdown returned with a new account: verification with its deadline,
//! credential handling, and SDK set-up tailored to `sdk_framework`.
//!
//! The guidance never contains the API secret (the agent may show it to the person); it
//! points at the response fields instead. Values that came from the request are escaped so
//! they cannot inject Markdown.

/// An SDK the guidance knows how to set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sdk {
    /// Python (`cloudinary` on PyPI).
    Python,
    /// Node.js (`cloudinary` on npm).
    Nodejs,
    /// React (front end: `@cloudinary/react`).
    React,
    /// Next.js (`next-cloudinary`).
    Nextjs,
    /// PHP (`cloudinary/cloudinary_php`).
    Php,
    /// Java (`com.cloudinary:cloudinary-http5`).
    Java,
    /// Ruby (`cloudinary` gem).
    Ruby,
    /// Go (`cloudinary-go`).
    Go,
    /// .NET (`CloudinaryDotNet`).
    Dotnet,
}

impl Sdk {
    /// Recognises an `sdk_framework` value, case-insensitively and with common aliases
    /// (`node`, `js`, `py`, `next.js`, `.NET`, `csharp`, `golang`...).
    pub fn recognise(value: &str) -> Option<Sdk> {
        // Keep letters, digits and '#', so "Node.js", "node-js" and "nodejs" compare equal.
        let key: String = value
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '#')
            .flat_map(char::to_lowercase)
            .collect();
        let sdk = match key.as_str() {
            "python" | "py" | "python3" | "django" | "flask" | "fastapi" => Sdk::Python,
            "nodejs" | "node" | "js" | "javascript" | "typescript" | "ts" | "express"
            | "expressjs" => Sdk::Nodejs,
            "react" | "reactjs" => Sdk::React,
            "nextjs" | "next" => Sdk::Nextjs,
            "php" | "laravel" => Sdk::Php,
            "java" | "spring" | "springboot" | "kotlin" => Sdk::Java,
            "ruby" | "rails" | "rubyonrails" | "ror" => Sdk::Ruby,
            "go" | "golang" => Sdk::Go,
            "dotnet" | "net" | "csharp" | "c#" | "aspnet" | "aspnetcore" => Sdk::Dotnet,
            _ => return None,
        };
        Some(sdk)
    }

    /// The name people use for it.
    pub const fn label(self) -> &'static str {
        match self {
            Sdk::Python => "Python",
            Sdk::Nodejs => "Node.js",
            Sdk::React => "React",
            Sdk::Nextjs => "Next.js",
            Sdk::Php => "PHP",
            Sdk::Java => "Java",
            Sdk::Ruby => "Ruby",
            Sdk::Go => "Go",
            Sdk::Dotnet => ".NET",
        }
    }

    /// The set-up section (install command and configuration).
    fn setup(self, cloud: &str) -> String {
        match self {
            Sdk::Python => "Install the SDK and a `.env` loader:

```bash
pip install cloudinary python-dotenv
```

Configure it from the environment; the SDK reads `CLOUDINARY_URL` by itself:

```python
from dotenv import load_dotenv
load_dotenv()  # puts CLOUDINARY_URL from .env into the environment

import cloudinary
import cloudinary.uploader

cloudinary.config(secure=True)
result = cloudinary.uploader.upload(\"photo.jpg\")
print(result[\"secure_url\"])
```
"
            .to_owned(),
            Sdk::Nodejs => "Install the SDK and a `.env` loader:

```bash
npm install cloudinary dotenv
```

Configure it from the environment; the SDK reads `CLOUDINARY_URL` by itself:

```js
require('dotenv').config(); // puts CLOUDINARY_URL from .env into process.env
const cloudinary = require('cloudinary').v2;

cloudinary.config({ secure: true });
const result = await cloudinary.uploader.upload('photo.jpg');
console.log(result.secure_url);
```
"
            .to_owned(),
            Sdk::React => format!(
                "React code runs in the browser: never put the API secret or `CLOUDINARY_URL` in \
front-end code or in a `VITE_`/`REACT_APP_` variable. The browser needs only the cloud name; \
uploads that need the secret go through your server (for example with the Node.js SDK).

```bash
npm install @cloudinary/react @cloudinary/url-gen
```

```jsx
import {{ Cloudinary }} from '@cloudinary/url-gen';
import {{ AdvancedImage }} from '@cloudinary/react';

const cld = new Cloudinary({{ cloud: {{ cloudName: '{cloud}' }} }});

export default function App() {{
  return <AdvancedImage cldImg={{cld.image('sample')}} />;
}}
```
"
            ),
            Sdk::Nextjs => format!(
                "```bash
npm install next-cloudinary
```

Next.js reads `.env.local`: put the cloud name in a public variable and keep the secret in a \
server-only one (never prefix it with `NEXT_PUBLIC_`):

```bash
NEXT_PUBLIC_CLOUDINARY_CLOUD_NAME={cloud}
CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@{cloud}
```

```jsx
import {{ CldImage }} from 'next-cloudinary';

export default function Page() {{
  return <CldImage src=\"sample\" width=\"600\" height=\"400\" alt=\"Sample\" />;
}}
```

Check that `.env*.local` is in `.gitignore` too.
"
            ),
            Sdk::Php => "```bash
composer require cloudinary/cloudinary_php vlucas/phpdotenv
```

```php
<?php
require 'vendor/autoload.php';

use Cloudinary\\Cloudinary;

Dotenv\\Dotenv::createImmutable(__DIR__)->load();
$cloudinary = new Cloudinary($_ENV['CLOUDINARY_URL']);
$result = $cloudinary->uploadApi()->upload('photo.jpg');
echo $result['secure_url'];
```
"
            .to_owned(),
            Sdk::Java => "Add the SDK (Maven; the range picks the latest 2.x release):

```xml
<dependency>
  <groupId>com.cloudinary</groupId>
  <artifactId>cloudinary-http5</artifactId>
  <version>[2.0,3.0)</version>
</dependency>
```

Export the `.env` line into the environment of the process (your IDE's run configuration, \
or `set -a; . ./.env; set +a` in a shell), then:

```java
import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;

Cloudinary cloudinary = new Cloudinary(System.getenv(\"CLOUDINARY_URL\"));
cloudinary.config.secure = true;
Map result = cloudinary.uploader().upload(new File(\"photo.jpg\"), ObjectUtils.emptyMap());
System.out.println(result.get(\"secure_url\"));
```
"
            .to_owned(),
            Sdk::Ruby => "```bash
bundle add cloudinary dotenv
```

The gem reads `CLOUDINARY_URL` from the environment:

```ruby
require 'dotenv/load'
require 'cloudinary'

result = Cloudinary::Uploader.upload('photo.jpg', secure: true)
puts result['secure_url']
```
"
            .to_owned(),
            Sdk::Go => "```bash
go get github.com/cloudinary/cloudinary-go/v2 github.com/joho/godotenv
```

`cloudinary.New()` reads `CLOUDINARY_URL` from the environment:

```go
package main

import (
\t\"context\"
\t\"fmt\"
\t\"log\"

\t\"github.com/cloudinary/cloudinary-go/v2\"
\t\"github.com/cloudinary/cloudinary-go/v2/api/uploader\"
\t\"github.com/joho/godotenv\"
)

func main() {
\tif err := godotenv.Load(); err != nil {
\t\tlog.Fatal(err)
\t}
\tcld, err := cloudinary.New()
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\tres, err := cld.Upload.Upload(context.Background(), \"photo.jpg\", uploader.UploadParams{})
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\tfmt.Println(res.SecureURL)
}
```
"
            .to_owned(),
            Sdk::Dotnet => "```bash
dotnet add package CloudinaryDotNet
dotnet add package DotNetEnv
```

```csharp
using CloudinaryDotNet;
using CloudinaryDotNet.Actions;

DotNetEnv.Env.Load(); // puts CLOUDINARY_URL from .env into the environment
var cloudinary = new Cloudinary(Environment.GetEnvironmentVariable(\"CLOUDINARY_URL\"));
cloudinary.Api.Secure = true;
var result = cloudinary.Upload(new ImageUploadParams { File = new FileDescription(\"photo.jpg\") });
Console.WriteLine(result.SecureUrl);
```
"
            .to_owned(),
        }
    }
}

/// The generic set-up section, when `sdk_framework` is absent or not one the emulator knows.
fn generic_setup(requested: Option<&str>) -> String {
    let intro = match requested {
        Some(name) => format!(
            "There is no specific set-up for `{}` here; the general route follows.\n\n",
            code_span_safe(name)
        ),
        None => String::new(),
    };
    format!(
        "{intro}Cloudinary has SDKs for Python, Node.js, React, Next.js, PHP, Java, Ruby, Go, \
.NET and more. Each reads `CLOUDINARY_URL` from the environment, so loading `.env` into the \
process environment is the whole configuration. For example:

- Python: `pip install cloudinary python-dotenv`
- Node.js: `npm install cloudinary dotenv`
- PHP: `composer require cloudinary/cloudinary_php`
- Ruby: `bundle add cloudinary`
- Go: `go get github.com/cloudinary/cloudinary-go/v2`
- .NET: `dotnet add package CloudinaryDotNet`

Without an SDK, the REST APIs take HTTP Basic authentication with the API key and secret.
"
    )
}

/// Everything the guidance needs to know.
#[derive(Debug, Clone, Copy)]
pub struct GuidanceInput<'a> {
    /// The account's e-mail address.
    pub email: &'a str,
    /// The product environment's cloud name (generated: safe).
    pub cloud_name: &'a str,
    /// The verification deadline, ISO-8601 UTC.
    pub deadline: &'a str,
    /// `sdk_framework` from the request.
    pub sdk_framework: Option<&'a str>,
    /// The base URL the agent reached this service at, for the ping example.
    pub base_url: &'a str,
}

/// Builds the guidance Markdown.
pub fn render(input: &GuidanceInput<'_>) -> String {
    let email = escape_markdown(input.email);
    let cloud = input.cloud_name;
    let deadline = input.deadline;
    let sdk = input.sdk_framework.and_then(Sdk::recognise);
    let (sdk_title, setup) = match sdk {
        Some(sdk) => (format!("Set up the {} SDK", sdk.label()), sdk.setup(cloud)),
        None => (
            "Set up a Cloudinary SDK".to_owned(),
            generic_setup(input.sdk_framework),
        ),
    };
    let base = input.base_url;
    format!(
        "# Your Cloudinary account is almost ready

A free Cloudinary account was created for {email}, with one product environment \
(cloud name `{cloud}`).

## 1. Ask the person to verify their e-mail address

A verification e-mail was sent to {email}. Ask the person to open it and set a password \
**before {deadline}** (UTC, 24 hours after the account was created). Until they do, the API \
key and secret are inert: calls with them are refused. If the address is not verified by \
{deadline}, the account is disabled.

## 2. Store the credentials in `.env`, not in the chat

- Do not print the API secret or `CLOUDINARY_URL` in the conversation.
- Write the `api_environment_variable` value of this response, as it is, as one line of a \
`.env` file at the root of the project. It has the form \
`CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@{cloud}`.
- Keep `.env` out of version control: \
`grep -qxF '.env' .gitignore 2>/dev/null || echo '.env' >> .gitignore`, then check with \
`git check-ignore .env`.

## 3. {sdk_title}

{setup}
## 4. Check that the credentials work

After the person has verified the address, this answers `{{\"status\":\"ok\"}}`:

```bash
curl -u '<api_key>:<api_secret>' {base}/v1_1/{cloud}/ping
```
"
    )
}

/// Everything a Claimable Cloud's guidance needs to know.
#[derive(Debug, Clone, Copy)]
pub struct CloudGuidanceInput<'a> {
    /// The cloud name (generated: safe).
    pub cloud_name: &'a str,
    /// When it is disabled unless claimed, ISO-8601 UTC.
    pub expires_at: &'a str,
    /// The resolved delivery addresses (canonical literals: safe).
    pub delivery_ips: &'a [String],
    /// `sdk_framework` from the request.
    pub sdk_framework: Option<&'a str>,
    /// The base URL the agent reached this service at, for the ping and delivery examples.
    pub base_url: &'a str,
}

/// Builds a Claimable Cloud's guidance Markdown: what works now, the IP lock and its symptom,
/// the expiry and the claim, then the same SDK set-up as an account's.
pub fn render_cloud(input: &CloudGuidanceInput<'_>) -> String {
    let cloud = input.cloud_name;
    let expires = input.expires_at;
    let ips = input
        .delivery_ips
        .iter()
        .map(|ip| format!("`{}`", code_span_safe(ip)))
        .collect::<Vec<_>>()
        .join(", ");
    let setup = match input.sdk_framework.and_then(Sdk::recognise) {
        Some(sdk) => sdk.setup(cloud),
        None => generic_setup(input.sdk_framework),
    };
    let base = input.base_url;
    format!(
        "# Your Claimable Cloud is ready

The cloud `{cloud}` works now: its API key and secret are accepted by the Upload and Admin APIs at once, with no sign-up and no verification.

## 1. Give the person the claim link

Hand the `claim_url` of this response to the person, and keep it: it is returned only once and it is the only way to keep the cloud. Unclaimed, the cloud is **disabled at {expires}** (UTC), assets included. Claiming makes it a permanent free account with the same cloud name, key, secret and assets. Do not ship to production on an unclaimed cloud.

## 2. Media delivery is locked to these addresses until the claim

{ips}. A delivery request from any other address is refused with `401` and the header `x-cld-error: ACL deny`, while uploads still succeed: that is the expected symptom, not a bug.

## 3. Store the credentials in `.env`, not in the chat

- Do not print the API secret or `CLOUDINARY_URL` in the conversation.
- Write the `api_environment_variable` value of this response, as it is, as one line of a `.env` file, and keep `.env` out of version control (`git check-ignore .env`).

## 4. Set up an SDK

{setup}
## 5. Check that the credentials work

```bash
curl -u '<api_key>:<api_secret>' {base}/v1_1/{cloud}/ping
```
"
    )
}

/// Backslash-escapes every ASCII punctuation character (CommonMark allows it for all of
/// them), so an e-mail address like ``a_b*`c`@example.com`` stays literal text.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii_punctuation() && c != '@' && c != '.' && c != '-' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for inside a single-backtick code span: backticks and control characters removed
/// (backslash escapes do not work inside code spans).
fn code_span_safe(s: &str) -> String {
    s.chars().filter(|c| *c != '`' && !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(sdk: Option<&str>) -> GuidanceInput<'_> {
        GuidanceInput {
            email: "jane@example.com",
            cloud_name: "dabc123xyz",
            deadline: "2026-06-27T12:00:00Z",
            sdk_framework: sdk,
            base_url: "http://127.0.0.1:8787",
        }
    }

    #[test]
    fn aliases() {
        for (v, sdk) in [
            ("Python", Sdk::Python),
            ("py", Sdk::Python),
            ("node", Sdk::Nodejs),
            ("Node.js", Sdk::Nodejs),
            ("JS", Sdk::Nodejs),
            ("react", Sdk::React),
            ("Next.js", Sdk::Nextjs),
            ("next", Sdk::Nextjs),
            ("PHP", Sdk::Php),
            ("java", Sdk::Java),
            ("Ruby", Sdk::Ruby),
            ("golang", Sdk::Go),
            ("Go", Sdk::Go),
            (".NET", Sdk::Dotnet),
            ("csharp", Sdk::Dotnet),
            ("C#", Sdk::Dotnet),
            ("dotnet", Sdk::Dotnet),
        ] {
            assert_eq!(Sdk::recognise(v), Some(sdk), "{v}");
        }
        assert_eq!(Sdk::recognise("cobol"), None);
    }

    #[test]
    fn content() {
        let g = render(&input(Some("python")));
        assert!(g.contains("2026-06-27T12:00:00Z"));
        assert!(g.contains(".env"));
        assert!(g.contains(".gitignore"));
        assert!(g.contains("pip install cloudinary"));
        let g = render(&input(Some("cobol")));
        assert!(g.contains("There is no specific set-up for `cobol`"));
        let g = render(&input(None));
        assert!(g.contains("Set up a Cloudinary SDK"));
        for sdk in [
            "nodejs", "react", "nextjs", "php", "java", "ruby", "go", "dotnet",
        ] {
            let g = render(&input(Some(sdk)));
            assert!(g.contains("```"), "{sdk}");
        }
    }

    #[test]
    fn escapes() {
        assert_eq!(
            escape_markdown("a_b*c@example.com"),
            "a\\_b\\*c@example.com"
        );
        assert_eq!(code_span_safe("a`b"), "ab");
    }
}
